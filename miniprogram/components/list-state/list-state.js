// <list-state> renders the states of a paged list (see behaviors/paged-list.js): the whole-screen
// loading, error and empty states (components/page-state) before anything is shown, then the
// footer while scrolling.
//   <list-state id="list-state" count="{{items.length}}" loading="{{loading}}" loaded="{{loaded}}"
//     error="{{error}}" error-kind="{{errorKind}}" finished="{{finished}}" loading-more="{{loadingMore}}"
//     more-error="{{moreError}}" empty-text="还没有心愿" bind:retry="onRetry" bind:retrymore="onRetryMore" />
Component({
  options: { addGlobalClass: true },
  properties: {
    count: { type: Number, value: 0 },
    loading: { type: Boolean, value: false },
    loaded: { type: Boolean, value: false },
    error: { type: String, value: '' },
    errorKind: { type: String, value: '' },
    finished: { type: Boolean, value: false },
    loadingMore: { type: Boolean, value: false },
    moreError: { type: String, value: '' },
    emptyText: { type: String, value: '暂无内容' },
    emptyIcon: { type: String, value: 'info-circle' },
  },
  methods: {
    onRetry() {
      this.triggerEvent('retry')
    },
    onRetryMore() {
      this.triggerEvent('retrymore')
    },
  },
})
