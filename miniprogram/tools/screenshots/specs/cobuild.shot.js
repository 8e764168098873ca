// The co-building screens (pages/cobuild): 志愿活动, 活动详情 (sign up, waitlisted, scan check-in and an
// expired code), 我的志愿 (sign-ups, 积分, redeeming), 签到管理 (roster, QR, offline marks), 三清单
// (claims opened, the owner deciding), 合伙人招募 (the application form).
const { screen, fx, wxHelpers, MP } = require('../render')
const cb = require(MP + '/tests/helpers/cobuild')

const { NETWORK_DOWN } = wxHelpers

const activities = [
  cb.activity(),
  cb.activity({ id: 8, title: '重阳节包饺子，陪社区老人过节', place: '锦华苑老年活动室', seats_left: 0, registered: 30, capacity: 30, start_at: cb.at(72), end_at: cb.at(75), signup_closes_at: cb.at(60) }),
  cb.activity({ id: 9, title: '清洁家园·楼道杂物清理', place: '翠湖花园3号楼', seats_left: 3, registered: 12, capacity: 15, start_at: cb.at(96), end_at: cb.at(98), signup_closes_at: cb.at(90) }),
]

// ---------------------------------------------------------------- 志愿活动
screen('cobuild-activities', 'data', {
  route: 'pages/cobuild/activities/activities',
  routes(api) {
    api.on('GET /api/v1/activities', fx.page(activities))
  },
})
screen('cobuild-activities', 'empty', {
  route: 'pages/cobuild/activities/activities',
  routes(api) {
    api.on('GET /api/v1/activities', fx.page([]))
  },
})
screen('cobuild-activities', 'error', {
  route: 'pages/cobuild/activities/activities',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/activities', NETWORK_DOWN)
  },
})

// ---------------------------------------------------------------- 活动详情
screen('cobuild-activity', 'open', {
  route: 'pages/cobuild/activity/activity',
  query: { id: '7' },
  routes(api) {
    api.on('GET /api/v1/activities/:id', cb.activity())
  },
})
screen('cobuild-activity', 'waitlisted', {
  route: 'pages/cobuild/activity/activity',
  query: { id: '8' },
  routes(api) {
    api.on('GET /api/v1/activities/:id', Object.assign({}, activities[1], { my_registration: cb.signup({ activity_id: 8, status: 'waitlisted', status_label: '候补', waitlist_position: 2 }), actions: ['cancel'] }))
  },
})
screen('cobuild-activity', 'code-expired', {
  route: 'pages/cobuild/activity/activity',
  query: { id: '7' },
  routes(api) {
    api.on('GET /api/v1/activities/:id', cb.activity({ start_at: cb.at(-0.5), end_at: cb.at(1.5), signup_closes_at: cb.at(-1), my_registration: cb.signup(), actions: ['check_in'] }))
    api.on('POST /api/v1/activities/7/check-in', wxHelpers.fail(409, 'code_expired', '签到码已过期，请扫描组织者手机上的最新二维码'))
  },
  async after(page) {
    global.wx.scanCode = (o) => o.success({ result: 'hh1.7.1.000000000000000000000000' })
    await page.instance.onScan()
    await wxHelpers.flush()
  },
})
screen('cobuild-activity', 'checked-in', {
  route: 'pages/cobuild/activity/activity',
  query: { id: '7' },
  routes(api) {
    api.on('GET /api/v1/activities/:id', cb.activity({ start_at: cb.at(-0.5), end_at: cb.at(1.5), signup_closes_at: cb.at(-1), my_registration: cb.signup({ status: 'checked_in', status_label: '已签到', checked_in_at: cb.at(-0.2) }), actions: [] }))
  },
})

// ---------------------------------------------------------------- 我的志愿
const signups = [
  cb.signup({ id: 71, activity_title: '周六爱心义剪', status: 'registered' }),
  cb.signup({ id: 72, activity_title: '重阳节包饺子，陪社区老人过节', status: 'waitlisted', status_label: '候补', waitlist_position: 2, activity_start_at: cb.at(72) }),
  cb.signup({ id: 73, activity_title: '清洁家园·楼道杂物清理', status: 'completed', status_label: '已完成', minutes: 150, activity_start_at: cb.at(-240) }),
  cb.signup({ id: 74, activity_title: '防诈骗宣传进小区', status: 'no_show', status_label: '未到场', activity_start_at: cb.at(-480) }),
]
screen('cobuild-mine', 'signups', {
  route: 'pages/cobuild/mine/mine',
  routes(api) {
    api.on('GET /api/v1/me', fx.me())
    api.on('GET /api/v1/timebank/me', cb.statement())
    api.on('GET /api/v1/registrations/mine', fx.page(signups))
  },
})
screen('cobuild-mine', 'redeeming', {
  route: 'pages/cobuild/mine/mine',
  query: { tab: 'offers' },
  routes(api) {
    api.on('GET /api/v1/me', fx.me())
    api.on('GET /api/v1/timebank/me', cb.statement())
    api.on('GET /api/v1/timebank/offers', fx.page([cb.offer(), cb.offer({ id: 5, partner_name: '鲁味坊餐馆', title: '爱心午餐一份', description: '', cost: 20 }), cb.offer({ id: 6, partner_name: '绿茵物业服务有限公司', title: '家电清洗', description: '空调或油烟机清洗一次', cost: 200 })]))
    api.on('POST /api/v1/timebank/offers/4/redemptions', { id: 9, offer_id: 4, partner_id: 2, user_id: 1, cost: 30, status: 'requested', status_label: '待确认', reason: null, balance: 120 })
  },
  async after(page) {
    await page.instance.onRedeem({ currentTarget: { dataset: { id: 4 } } })
    await wxHelpers.flush()
  },
})

// ---------------------------------------------------------------- 签到管理
const roster = [
  cb.signup({ id: 70, user_id: 11, name: '王秀兰' }),
  cb.signup({ id: 71, user_id: 12, name: '李建国', status: 'checked_in', status_label: '已签到', checked_in_at: cb.at(-0.5) }),
  cb.signup({ id: 72, user_id: 14, name: '刘芳', status: 'completed', status_label: '已完成', checked_in_at: cb.at(-0.9), checked_out_at: cb.at(-0.1), minutes: 48 }),
  cb.signup({ id: 73, user_id: 13, name: '赵敏', status: 'waitlisted', status_label: '候补', waitlist_position: 1 }),
]
const organiser = (api) => {
  api.on('GET /api/v1/activities/:id', cb.activity({ start_at: cb.at(-1), end_at: cb.at(1), signup_closes_at: cb.at(-2), actions: ['roster', 'checkin_code', 'close'] }))
  api.on('GET /api/v1/activities/7/registrations', roster)
  api.on('GET /api/v1/activities/7/checkin-code', { code: 'hh1.7.29876543.0123456789abcdef01234567', expires_at: cb.at(0.03), refresh_seconds: 60 })
}
screen('cobuild-roster', 'data', {
  route: 'pages/cobuild/roster/roster',
  query: { id: '7' },
  routes: organiser,
})
screen('cobuild-roster', 'qr', {
  route: 'pages/cobuild/roster/roster',
  query: { id: '7' },
  routes: organiser,
  async after(page) {
    await page.instance.onToggleQr()
    await wxHelpers.flush()
    page.instance.onUnload() // the refresh timer: not in a screenshot
  },
})
screen('cobuild-roster', 'offline', {
  route: 'pages/cobuild/roster/roster',
  query: { id: '7' },
  routes(api) {
    organiser(api)
    api.on('POST /api/v1/activities/7/roster', NETWORK_DOWN)
  },
  async after(page) {
    await page.instance.onMark({ currentTarget: { dataset: { user: 11, name: '王秀兰' } } })
    await wxHelpers.flush()
    page.instance.onUnload()
  },
})

// ---------------------------------------------------------------- 三清单
const items = [
  cb.item({ claims: [cb.claim(), cb.claim({ id: 31, claimant_id: 4, claimant_name: '绿茵物业服务有限公司', note: '', status: 'declined', status_label: '未接受', decline_reason: '已有单位承接' })] }),
  cb.item({ id: 14, title: '儿童暑期托管', category: '教育', quantity: 20, unit: '名', owner_kind: 'community', owner_id: 1, owner_name: '和谐社区', description: '双职工家庭孩子暑期看护' }),
  cb.item({ id: 15, title: '楼道照明改造', category: '设施', quantity: 6, unit: '栋', status: 'matched', status_label: '已对接', description: '' }),
]
screen('cobuild-lists', 'owner', {
  route: 'pages/cobuild/lists/lists',
  routes(api) {
    api.on('GET /api/v1/me', cb.adminMe())
    api.on('GET /api/v1/list-items', fx.page(items))
    api.on('GET /api/v1/list-items/12', items[0])
  },
  async after(page) {
    await page.instance.onOpen({ currentTarget: { dataset: { id: 12 } } })
    await wxHelpers.flush()
  },
})
screen('cobuild-lists', 'partner', {
  route: 'pages/cobuild/lists/lists',
  routes(api) {
    api.on('GET /api/v1/me', cb.partnerMe({ grants: [{ role: 'partner_contact', scope_type: 'partner', scope_id: 7 }] }))
    api.on('GET /api/v1/list-items', fx.page(items))
  },
})

// ---------------------------------------------------------------- 合伙人招募
const opportunities = [
  cb.opportunity(),
  cb.opportunity({ id: 4, title: '社区花园共建', mode: 'co_build', mode_label: '共建', needs: '一起打理锦华苑北侧空地，种花种菜', applications: 5 }),
  cb.opportunity({ id: 5, title: '老年大学书法课', mode: 'purchase', mode_label: '购买服务', needs: '每周一次书法课，共20课时', open: false, applications: 3, deadline: cb.at(-24) }),
]
screen('cobuild-opportunities', 'data', {
  route: 'pages/cobuild/opportunities/opportunities',
  routes(api) {
    api.on('GET /api/v1/me', fx.me())
    api.on('GET /api/v1/opportunities', fx.page(opportunities))
  },
})
screen('cobuild-opportunities', 'form', {
  route: 'pages/cobuild/opportunities/opportunities',
  query: { id: '3' },
  routes(api) {
    api.on('GET /api/v1/me', fx.me())
    api.on('GET /api/v1/opportunities', fx.page(opportunities))
  },
})
