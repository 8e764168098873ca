// 走访同步: every visit on the phone with its sync state (待同步, 同步中, 已同步, 已同步（重复）,
// 同步失败 with the server's reason), 立即同步, retry or delete a refused one, clear the synced ones.
// The queue itself (services/visits.js) syncs on its own when the network returns.
const visits = require('../../../services/visits')
const time = require('../../../utils/time')
const ui = require('../../../utils/ui')
const { OUTCOME_LABELS, KIND_LABELS } = require('../../../utils/grid')

function row(it) {
  const findings = (it.payload.findings || []).map((f) => KIND_LABELS[f.kind] || f.kind)
  return {
    client_id: it.client_id,
    state: it.state,
    stateLabel: visits.STATE_LABELS[it.state] || it.state,
    theme: visits.STATE_THEMES[it.state] || 'default',
    label: (it.meta && it.meta.label) || '住户 ' + it.payload.household_id,
    timeText: time.formatDateTime(it.payload.visited_at),
    outcomeLabel: OUTCOME_LABELS[it.payload.outcome] || it.payload.outcome,
    findingsText: findings.length ? '发现：' + findings.join('、') : '',
    detail: it.detail,
    failed: it.state === 'error',
  }
}

Component({
  data: {
    items: [],
    counts: { pending: 0, syncing: 0, created: 0, duplicate: 0, error: 0, unsynced: 0, total: 0 },
    online: true,
    syncing: false,
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
      // newest first
      const items = queue.list().reverse().map(row)
      this.setData({ items, counts: queue.counts(), online: queue.isOnline() })
    },

    onSync() {
      const queue = visits.get()
      if (!queue.isOnline()) {
        ui.toast('当前无网络，联网后会自动同步')
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
