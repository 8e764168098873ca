// 志愿活动: upcoming activities of my community (GET /api/v1/activities?upcoming=true&my_community=true,
// or ?community_id= when opened with one), with the seats left; 报名
// or 候补 right from the list (POST …/registrations), the detail for the rest.
const api = require('../../../services/api')
const pagedList = require('../../../behaviors/paged-list')
const uiMode = require('../../../behaviors/ui-mode')
const notify = require('../../../services/notify')
const ui = require('../../../utils/ui')
const { ACTIONS, SIGNUP_STATUS } = require('../../../utils/glossary')
const { activityItem } = require('../common')

Component({
  behaviors: [pagedList, uiMode],
  data: { actions: ACTIONS, busy: 0 },
  methods: {
    onLoad(query = {}) {
      notify.prepare('activity_signup')
      this._community = query.community_id || null
      return this.reload()
    },
    onPullDownRefresh() {
      return this.refresh()
    },
    onReachBottom() {
      return this.loadMore()
    },
    fetchPage(cursor) {
      return api
        .listActivities({ community_id: this._community, my_community: !this._community, upcoming: true, cursor, limit: 20 }, { silent: true })
        .then((page) => ({ items: page.items.map((a) => activityItem(a)), next_cursor: page.next_cursor }))
    },
    noop() {},
    onOpen(e) {
      wx.navigateTo({ url: '/pages/cobuild/activity/activity?id=' + e.currentTarget.dataset.id })
    },
    onSignUp(e) {
      const id = e.currentTarget.dataset.id
      if (this.data.busy) return Promise.resolve()
      this.setData({ busy: id })
      return notify.run('activity_signup', () => api.signUp(id)).then(
        (r) => {
          this.setData({ busy: 0 })
          ui.toast(r.status === 'waitlisted' ? '已候补，第 ' + (r.waitlist_position || 1) + ' 位' : SIGNUP_STATUS.registered, 'success')
          return this.reload()
        },
        () => this.setData({ busy: 0 })
      )
    },
  },
})
