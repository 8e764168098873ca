// A keyset-paginated list for pages: first load, pull-to-refresh, infinite scroll on next_cursor,
// and the loading / empty / error states that <list-state> renders.
//
// The page implements fetchPage(cursor) → Promise<{items, next_cursor}> (items already decorated
// for display) and wires its lifecycle:
//   onLoad() { return this.reload() }
//   onPullDownRefresh() { return this.refresh() }
//   onReachBottom() { return this.loadMore() }

const errors = require('../utils/errors')

module.exports = Behavior({
  data: {
    items: [],
    cursor: null,
    loading: false, // first page (or a reload) in flight
    loadingMore: false,
    loaded: false, // a first page has arrived at least once
    finished: false, // no next_cursor
    error: '', // the first page failed; shown instead of the list
    errorKind: '', // offline | network | server | missing | other (utils/errors.js)
    moreError: '', // a later page failed; the list stays, the footer offers a retry
  },

  methods: {
    // Loads the first page again. Items already shown stay until the new page arrives.
    reload() {
      const seq = (this._listSeq = (this._listSeq || 0) + 1)
      this.setData({ loading: true, error: '', errorKind: '', moreError: '' })
      return Promise.resolve()
        .then(() => this.fetchPage(null))
        .then(
          (page) => {
            if (seq !== this._listSeq) return
            this.setData({
              items: page.items || [],
              cursor: page.next_cursor || null,
              finished: !page.next_cursor,
              loading: false,
              loadingMore: false,
              loaded: true,
            })
          },
          (err) => {
            if (seq !== this._listSeq) return
            this.setData(Object.assign({ loading: false, loadingMore: false }, errors.errorState(err)))
          }
        )
    },

    // Pull-to-refresh: reload, then stop the native spinner whatever happened. A failure while the
    // list is still shown is said in a toast (the list stays; the error state is for an empty one).
    refresh() {
      return this.reload().then(() => {
        wx.stopPullDownRefresh()
        if (this.data.error && this.data.items.length) wx.showToast({ title: this.data.error, icon: 'none' })
      })
    },

    // Next page, when there is one and nothing else is loading.
    loadMore() {
      const d = this.data
      if (d.loading || d.loadingMore || d.finished || !d.cursor || d.error) return Promise.resolve()
      const seq = this._listSeq
      this.setData({ loadingMore: true, moreError: '' })
      return Promise.resolve()
        .then(() => this.fetchPage(d.cursor))
        .then(
          (page) => {
            if (seq !== this._listSeq) return
            this.setData({
              items: this.data.items.concat(page.items || []),
              cursor: page.next_cursor || null,
              finished: !page.next_cursor,
              loadingMore: false,
            })
          },
          (err) => {
            if (seq !== this._listSeq) return
            this.setData({ loadingMore: false, moreError: listError(err) })
          }
        )
    },

    // Drops one item (e.g. after it was claimed or decided) without reloading.
    removeItem(id) {
      this.setData({ items: this.data.items.filter((it) => it.id !== id) })
    },

    onRetry() {
      return this.reload()
    },

    onRetryMore() {
      return this.loadMore()
    },
  },
})

function listError(err) {
  return errors.errorState(err).error
}
