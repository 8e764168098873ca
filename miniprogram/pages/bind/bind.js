// 绑定小区: find the compound by name (GET /api/v1/org/compounds?q=) and bind to it (PATCH /api/v1/me).
// Opened on first use, or from 我的; ?next=<page> continues there afterwards (e.g. 我要许愿).
const api = require('../../services/api')
const session = require('../../services/session')
const pagedList = require('../../behaviors/paged-list')
const uiMode = require('../../behaviors/ui-mode')

Component({
  behaviors: [pagedList, uiMode],
  data: {
    q: '',
    name: '',
    currentId: null,
    saving: false,
  },
  methods: {
    onLoad(query = {}) {
      this._next = query.next ? decodeURIComponent(query.next) : ''
      session
        .load({ silent: true })
        .then((me) => this.setData({ name: me.name || '', currentId: me.compound_id }))
        .catch(() => {})
      return this.reload()
    },

    onReachBottom() {
      return this.loadMore()
    },

    fetchPage(cursor) {
      return api.searchCompounds({ q: this.data.q.trim(), cursor, limit: 20 }, { silent: true })
    },

    onName(e) {
      this.setData({ name: e.detail.value })
    },

    // Typing searches after a short pause; the keyboard's search key searches at once.
    onQuery(e) {
      this.setData({ q: e.detail.value })
      clearTimeout(this._timer)
      this._timer = setTimeout(() => this.reload(), 400)
    },

    onSearch() {
      clearTimeout(this._timer)
      return this.reload()
    },

    onClear() {
      this.setData({ q: '' })
      return this.onSearch()
    },

    onPick(e) {
      if (this.data.saving) return Promise.resolve()
      const id = e.currentTarget.dataset.id
      const patch = { compound_id: id }
      const name = this.data.name.trim()
      if (name) patch.name = name
      this.setData({ saving: true })
      return api.updateMe(patch).then(
        (me) => {
          session.set(me)
          this.setData({ saving: false, currentId: me.compound_id })
          wx.showToast({ title: '已绑定' + (me.compound_name || ''), icon: 'success' })
          if (this._next) {
            wx.redirectTo({ url: this._next })
          } else if (getCurrentPages().length > 1) {
            wx.navigateBack()
          } else {
            wx.switchTab({ url: '/pages/home/home' })
          }
        },
        () => this.setData({ saving: false })
      )
    },
  },
})
