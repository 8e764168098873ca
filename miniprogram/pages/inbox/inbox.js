// 消息: the inbox (GET /api/v1/inbox), newest first, with the unread count. Opening a message marks
// it read (POST /api/v1/inbox/{id}/read) and goes to what it is about.
const api = require('../../services/api')
const inbox = require('../../services/inbox')
const pagedList = require('../../behaviors/paged-list')
const uiMode = require('../../behaviors/ui-mode')
const time = require('../../utils/time')
const { pageFor, isTab } = require('../../utils/links')

Component({
  behaviors: [pagedList, uiMode],
  data: {
    unread: 0,
    markingAll: false,
  },
  methods: {
    onLoad() {
      return this.reload()
    },

    onShow() {
      if (this._shown) return this.reload()
      this._shown = true
    },

    onPullDownRefresh() {
      return this.refresh()
    },

    onReachBottom() {
      return this.loadMore()
    },

    fetchPage(cursor) {
      return api.listInbox({ cursor, limit: 20 }, { silent: true }).then((page) => {
        this.setData({ unread: inbox.set(page.unread) })
        return {
          items: page.items.map((m) => Object.assign({}, m, { createdText: time.formatRelative(m.created_at) })),
          next_cursor: page.next_cursor,
        }
      })
    },

    markLocal(id) {
      const items = this.data.items.map((m) => (m.id === id ? Object.assign({}, m, { read: true }) : m))
      this.setData({ items, unread: inbox.set(inbox.count() - 1) })
    },

    onOpen(e) {
      const id = e.currentTarget.dataset.id
      const message = this.data.items.find((m) => m.id === id)
      if (!message) return Promise.resolve()
      const url = pageFor(message)
      let marking = Promise.resolve()
      if (!message.read) {
        this.markLocal(id)
        marking = api.markRead(id, { silent: true }).catch(() => {})
      }
      if (url && isTab(url)) wx.switchTab({ url: url.split('?')[0] })
      else if (url) wx.navigateTo({ url })
      return marking
    },

    onReadAll() {
      this.setData({ markingAll: true })
      return api.markAllRead().then(
        (out) => {
          this.setData({
            markingAll: false,
            unread: inbox.set(out.unread),
            items: this.data.items.map((m) => Object.assign({}, m, { read: true })),
          })
        },
        () => this.setData({ markingAll: false })
      )
    },
  },
})
