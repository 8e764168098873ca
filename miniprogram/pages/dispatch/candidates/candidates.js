// 小区派单: members ranked for this wish with the reasons of their rank
// (GET /api/v1/wishes/{id}/candidates); dispatch to the chosen one (POST …/dispatch).
const api = require('../../../services/api')
const notify = require('../../../services/notify')

Component({
  data: {
    id: null,
    wish: null,
    candidates: [],
    loading: true,
    error: '',
    selected: null,
    selectedName: '',
    note: '',
    dispatching: false,
  },
  methods: {
    onLoad(query = {}) {
      this.setData({ id: query.id })
      notify.prepare('dispatch')
      return this.load()
    },

    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },

    load() {
      this.setData({ loading: true, error: '' })
      const id = this.data.id
      return Promise.all([api.getWish(id, { silent: true }), api.getCandidates(id, { silent: true })]).then(
        ([wish, out]) =>
          this.setData({
            wish,
            candidates: out.items,
            // the API returns the best 50; say so when the compound has more
            moreText: out.total > out.items.length ? '共 ' + out.total + ' 名党员，显示匹配度最高的 ' + out.items.length + ' 名' : '',
            loading: false,
          }),
        (err) => this.setData({ loading: false, error: err.detail || '加载失败，请稍后重试' })
      )
    },

    onRetry() {
      return this.load()
    },

    onSelect(e) {
      const id = e.currentTarget.dataset.id
      const c = this.data.candidates.find((x) => x.member_id === id)
      this.setData({ selected: id, selectedName: c ? c.name : '' })
    },

    onNote(e) {
      this.setData({ note: e.detail.value })
    },

    onDispatch() {
      const d = this.data
      if (!d.selected || d.dispatching) return Promise.resolve()
      this.setData({ dispatching: true })
      // ask to be told when the member declines or lets the offer expire, then dispatch
      return notify.run('dispatch', () => api.dispatchWish(d.id, d.selected, d.note.trim())).then(
        () => {
          this.setData({ dispatching: false })
          wx.showToast({ title: '已派单给' + d.selectedName, icon: 'success' })
          wx.navigateBack()
        },
        (err) => {
          this.setData({ dispatching: false })
          // the wish moved on (claimed, cancelled…) or the member cannot take it: show the new state
          if (err.status === 409) return this.load()
        }
      )
    },
  },
})
