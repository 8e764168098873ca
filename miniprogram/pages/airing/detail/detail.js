// 晾晒台详情 (GET /api/v1/airing/{id}): what was done, by which members and work units, the counts
// and ratings. Residents come masked from the API (王*兰) and are shown as they come.
const api = require('../../../services/api')
const time = require('../../../utils/time')

Component({
  data: {
    loading: true,
    error: '',
    airing: null,
    content: null,
  },
  methods: {
    onLoad(query = {}) {
      this._id = query.id
      return this.load()
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },
    load() {
      this.setData({ loading: true, error: '' })
      return api.getAiring(this._id, { silent: true }).then(
        (a) => {
          const c = a.content || {}
          this.setData({
            loading: false,
            airing: Object.assign({}, a, { publishedText: time.formatDate(a.published_at) }),
            content: {
              scopeName: c.scope_name || '',
              fulfilled: c.fulfilled || 0,
              rated: c.rated || 0,
              satisfied: c.satisfied || 0,
              autoClosed: c.auto_closed || 0,
              average: c.average_rating === null || c.average_rating === undefined ? '—' : c.average_rating.toFixed(1),
              members: c.members || [],
              workUnits: c.work_units || [],
              wishes: (c.wishes || []).map((w) =>
                Object.assign({}, w, { ratingText: w.auto_closed ? '超时自动完成' : w.rating ? w.rating + ' 星' : '未评价' })
              ),
            },
          })
        },
        (err) => this.setData({ loading: false, error: err.detail || '加载失败，请稍后重试' })
      )
    },
    onRetry() {
      return this.load()
    },
  },
})
