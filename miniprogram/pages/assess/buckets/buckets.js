// <buckets buckets="{{[{key, label, unit, ids, good, apart}]}}" />: the items behind a figure, bucket by
// bucket, 12 at a time (再看 for more); an issue or a wish opens its page when tapped.
const { SHOWN, itemOf } = require('../common')

Component({
  options: { addGlobalClass: true },
  properties: {
    buckets: { type: Array, value: [] },
  },
  data: { rows: [], empty: '' },
  observers: {
    buckets() {
      this._shown = {}
      this.render()
    },
  },
  methods: {
    render() {
      const shown = this._shown || {}
      const rows = (this.data.buckets || []).map((b) => {
        const ids = b.ids || []
        const n = shown[b.key] || SHOWN
        return {
          key: b.key,
          label: b.label,
          count: ids.length,
          good: !!b.good,
          apart: !!b.apart,
          items: ids.slice(0, n).map((id) => itemOf(b.unit, id)),
          more: Math.max(0, ids.length - n),
        }
      })
      // empty buckets in one line: the partition stays visible without a screen of zeros
      const empty = rows.filter((r) => !r.count).map((r) => r.label + ' 0').join(' · ')
      this.setData({ rows: rows.filter((r) => r.count), empty })
    },

    onMore(e) {
      const k = e.currentTarget.dataset.bucket
      this._shown = this._shown || {}
      this._shown[k] = (this._shown[k] || SHOWN) + SHOWN
      this.render()
    },

    onItem(e) {
      const url = e.currentTarget.dataset.url
      if (url) wx.navigateTo({ url })
    },
  },
})
