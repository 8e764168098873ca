// 选择党员派单: members ranked for this wish with the reasons of their rank
// (GET /api/v1/wishes/{id}/candidates); dispatch to the chosen one (POST …/dispatch). Members who
// paused taking orders (available: false) or who are at their limit of open orders are listed, but
// cannot be chosen, and say why. (The API has no "at limit" field: the client reads it from a
// flag `at_limit` when a server sends one, else from the ranking reason 已达上限.)
const api = require('../../../services/api')
const notify = require('../../../services/notify')
const uiMode = require('../../../behaviors/ui-mode')
const errors = require('../../../utils/errors')
const glossary = require('../../../utils/glossary')

function candidateItem(c) {
  const full = c.at_limit === true || (c.reasons || []).some((r) => r.indexOf('已达上限') >= 0)
  let blocked = ''
  if (c.available === false) blocked = '已暂停接单，不能派单'
  else if (full) blocked = '在办 ' + c.open_orders + ' 单，已达上限，不能再派'
  return Object.assign({}, c, { selectable: !blocked, blocked, full })
}

Component({
  behaviors: [uiMode],
  data: {
    id: null,
    wish: null,
    candidates: [],
    moreText: '',
    loading: true,
    error: '',
    errorKind: '',
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
        ([wish, out]) => {
          const candidates = out.items.map(candidateItem)
          const keep = candidates.some((c) => c.member_id === this.data.selected && c.selectable)
          this.setData({
            wish: Object.assign({}, wish, { status_label: glossary.label('wish', wish.status, wish.status_label) }),
            candidates,
            selectable: candidates.filter((c) => c.selectable).length,
            // the API returns the best 50; say so when the compound has more
            moreText: out.total > out.items.length ? '共 ' + out.total + ' 名党员，这里是匹配度最高的 ' + out.items.length + ' 名' : '',
            selected: keep ? this.data.selected : null,
            selectedName: keep ? this.data.selectedName : '',
            loading: false,
          })
        },
        (err) => this.setData(Object.assign({ loading: false }, errors.errorState(err)))
      )
    },

    onRetry() {
      return this.load()
    },

    onSelect(e) {
      const id = e.currentTarget.dataset.id
      const c = this.data.candidates.find((x) => x.member_id === id)
      if (!c) return
      if (!c.selectable) {
        wx.showToast({ title: c.name + c.blocked, icon: 'none' })
        return
      }
      this.setData({ selected: id, selectedName: c.name })
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
