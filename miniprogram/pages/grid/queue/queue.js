// 走访同步: every visit on the phone with its sync state (待同步, 同步中, 已同步, 已同步（重复）,
// 同步失败 with the server's reason), under the queue's banner (offline, progress with the photo's
// upload percent, last sync time). Failures are pinned on top; 重试 only where retrying can help
// (VisitResult.retryable, contracts.md §4), 删除 always; 立即同步 is off without a network.
// The queue itself (services/visits.js) syncs on its own when the network returns.
const visits = require('../../../services/visits')
const uiMode = require('../../../behaviors/ui-mode')
const time = require('../../../utils/time')
const ui = require('../../../utils/ui')
const { OUTCOME_LABELS, KIND_LABELS } = require('../../../utils/grid')
const { ACTIONS } = require('../../../utils/glossary')

// failures first, then what waits, then what went through; newest first within each
const ORDER = { error: 0, syncing: 1, pending: 2, created: 3, duplicate: 3 }

function row(it) {
  const findings = (it.payload.findings || []).map((f) => KIND_LABELS[f.kind] || f.kind)
  const photos = (it.payload.findings || []).reduce((n, f) => n + (f.photos || []).length, 0)
  const failed = it.state === 'error'
  const retryable = failed && it.retryable !== false
  return {
    client_id: it.client_id,
    state: it.state,
    stateLabel: visits.STATE_LABELS[it.state] || it.state,
    theme: visits.STATE_THEMES[it.state] || 'default',
    label: (it.meta && it.meta.label) || '住户 ' + it.payload.household_id,
    timeText: time.formatRelative(it.payload.visited_at),
    outcomeLabel: OUTCOME_LABELS[it.payload.outcome] || it.payload.outcome,
    findingsText: findings.length ? '发现：' + findings.join('、') : '',
    photosText: photos ? photos + ' 张照片' : '',
    syncedText: it.synced_at ? '同步于 ' + time.formatRelative(it.synced_at) : '',
    detail: it.detail,
    failed,
    retryable,
    hint: failed && !retryable ? '重试也不会成功：请删除，需要时重新录入或联系社区补登' : '',
  }
}

Component({
  behaviors: [uiMode],
  data: {
    items: [],
    counts: { pending: 0, syncing: 0, created: 0, duplicate: 0, error: 0, unsynced: 0, total: 0 },
    online: true,
    syncing: false,
    words: ACTIONS,
    stateWords: visits.STATE_LABELS,
  },
  lifetimes: {
    detached() {
      this.onUnload()
    },
  },
  methods: {
    onLoad() {
      this._off = visits.get().subscribe(() => this.show())
      this.show()
    },

    onUnload() {
      if (this._off) this._off()
      this._off = null
    },

    onShow() {
      this.show()
    },

    onPullDownRefresh() {
      return this.onSync().then(() => wx.stopPullDownRefresh())
    },

    show() {
      const queue = visits.get()
      const list = queue.list()
      const items = list
        .map((it, i) => ({ it, i }))
        .sort((a, b) => ORDER[a.it.state] - ORDER[b.it.state] || b.i - a.i)
        .map((x) => row(x.it))
      this.setData({ items, counts: queue.counts(), online: queue.isOnline(), syncing: queue.isSyncing() })
    },

    onSync() {
      const queue = visits.get()
      if (!queue.isOnline()) {
        ui.toast('当前没有网络，联网后会自动同步')
        return Promise.resolve()
      }
      this.setData({ syncing: true })
      return queue.sync().then(
        (counts) => {
          this.setData({ syncing: false })
          this.show()
          if (counts.pending) ui.toast('网络不稳定，稍后会自动重试')
          else if (counts.error) ui.toast(counts.error + ' 条同步失败，请查看原因')
          else ui.toast('已全部同步', 'success')
        },
        () => {
          this.setData({ syncing: false })
          this.show()
        }
      )
    },

    onRetryItem(e) {
      return visits.get().retry(e.currentTarget.dataset.id).then(() => this.show())
    },

    onRemoveItem(e) {
      const id = e.currentTarget.dataset.id
      return ui.confirm('删除这条走访？', '删除后无法恢复，需要时请重新录入。').then((ok) => {
        if (!ok) return
        visits.get().remove(id)
        this.show()
      })
    },

    onClearSynced() {
      visits.get().clearSynced()
      this.show()
    },
  },
})
