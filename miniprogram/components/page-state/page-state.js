// <page-state> is a page's (or a list's) whole-screen state when there is nothing else to show:
//   loading — 正在加载…
//   error   — what happened (没有网络 / 连不上服务器 / 服务器暂时出了问题 …), the detail, what to do,
//             and a large 重新加载 (bind:retry); never the pale look of "empty"
//   empty   — the empty text with its icon, and the page's own action in the slot
//   <page-state id="state" loading="{{loading && !wish}}" error="{{error}}" error-kind="{{errorKind}}"
//     bind:retry="onRetry" />
const errors = require('../../utils/errors')

Component({
  options: { addGlobalClass: true, multipleSlots: true },
  properties: {
    loading: { type: Boolean, value: false },
    error: { type: String, value: '' },
    errorKind: { type: String, value: '' },
    empty: { type: Boolean, value: false },
    emptyText: { type: String, value: '暂无内容' },
    emptyIcon: { type: String, value: 'info-circle' },
    loadingText: { type: String, value: '正在加载…' },
  },
  data: {
    info: errors.describe('other'),
  },
  observers: {
    errorKind(kind) {
      this.setData({ info: errors.describe(kind) })
    },
  },
  methods: {
    onRetry() {
      this.triggerEvent('retry')
    },
  },
})
