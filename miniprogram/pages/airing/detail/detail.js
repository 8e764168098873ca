// 晾晒台详情 (GET /api/v1/airing/{id}): what was done, by which members and work units, the counts
// and ratings. Residents come masked from the API (王*兰) and are shown as they come.
const api = require('../../../services/api')
const uiMode = require('../../../behaviors/ui-mode')
const time = require('../../../utils/time')
const errors = require('../../../utils/errors')

Component({
  behaviors: [uiMode],
  data: {
    loading: true,
    error: '',
    errorKind: '',
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
            airing: Object.assign({}, a, { publishedText: time.formatDay(a.published_at), periodText: time.formatPeriod(a.period) }),
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
                Object.assign({}, w, {
                  ratingText: w.auto_closed ? '超时自动完成' : w.rating ? w.rating + ' 星' : '未评价',
                  completedText: w.completed_at ? time.formatDay(w.completed_at) : '',
                })
              ),
            },
          })
        },
        (err) => this.setData(Object.assign({ loading: false }, errors.errorState(err)))
      )
    },
    onRetry() {
      return this.load()
    },
  },
})
