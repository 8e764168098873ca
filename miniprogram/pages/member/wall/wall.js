// 心愿墙: open wishes of the compounds where I reported in (GET /api/v1/wishes/wall); claim one.
// Under a race exactly one claim wins; the others get 409 already_taken and the wish leaves the wall.
const api = require('../../../services/api')
const notify = require('../../../services/notify')
const pagedList = require('../../../behaviors/paged-list')
const uiMode = require('../../../behaviors/ui-mode')
const { wishItem } = require('../../../utils/format')
const { ACTIONS } = require('../../../utils/glossary')

Component({
  behaviors: [pagedList, uiMode],
  data: {
    words: ACTIONS,
    claiming: null,
  },
  methods: {
    onLoad() {
      notify.prepare('accept_order')
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
      return api
        .listWall({ cursor, limit: 20 }, { silent: true })
        .then((page) => ({ items: page.items.map(wishItem), next_cursor: page.next_cursor }))
    },

    onOpen(e) {
      wx.navigateTo({ url: '/pages/wish/detail/detail?id=' + e.currentTarget.dataset.id })
    },

    onClaim(e) {
      const id = e.currentTarget.dataset.id
      if (this.data.claiming) return Promise.resolve()
      this.setData({ claiming: id })
      return notify.run('accept_order', () => api.claimWish(id)).then(
        () => {
          this.setData({ claiming: null })
          this.removeItem(id)
          wx.showToast({ title: '认领成功', icon: 'success' })
          wx.navigateTo({ url: '/pages/wish/detail/detail?id=' + id })
        },
        (err) => {
          this.setData({ claiming: null })
          // taken by someone else, or no longer open: it does not belong on the wall any more
          if (err.status === 409 || err.status === 404) this.removeItem(id)
        }
      )
    },
  },
})
