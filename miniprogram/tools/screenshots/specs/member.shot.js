// The Party member's screens: 接单 (tab), 心愿墙, 提交完成情况, 双报到, 技能与时间.
const { screen, hang, fx, wxHelpers, HOUR, DAY, ago, ahead } = require('../render')
const d = require('./data')

const { NETWORK_DOWN } = wxHelpers

const orders = [
  fx.orderWithWish({ id: 81, wish_id: 52, wish_title: '帮忙把旧衣柜搬到楼下', status: 'offered', status_label: '待接单', note: '您住同一栋，麻烦搭把手', created_at: ago(40 * 60e3), expires_at: ahead(23 * HOUR) }),
  fx.orderWithWish({ id: 79, wish_id: 47, wish_title: '卫生间下水道堵了', status: 'offered', status_label: '待接单', note: null, created_at: ago(22 * HOUR), expires_at: ahead(2 * HOUR) }),
  fx.orderWithWish({ id: 77, wish_id: 41, wish_title: '厨房水龙头漏水，关不紧', status: 'accepted', status_label: '服务中', created_at: ago(5 * HOUR), due_at: ahead(6 * DAY) }),
]
screen('orders', 'data', {
  route: 'pages/orders/orders',
  tab: 'orders',
  routes(api) {
    api.on('GET /api/v1/me', d.member)
    api.on('GET /api/v1/orders', d.byStatus(orders))
  },
})
screen('orders', 'empty', {
  route: 'pages/orders/orders',
  tab: 'orders',
  routes(api) {
    api.on('GET /api/v1/me', d.member)
    api.on('GET /api/v1/orders', fx.page([]))
  },
})
screen('orders', 'loading', {
  route: 'pages/orders/orders',
  tab: 'orders',
  wait: false,
  before(wx) {
    hang(wx, 'GET /api/v1/orders')
  },
  routes(api) {
    api.on('GET /api/v1/me', d.member)
  },
})
screen('orders', 'error', {
  route: 'pages/orders/orders',
  tab: 'orders',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/me', NETWORK_DOWN)
    api.on('GET /api/v1/orders', NETWORK_DOWN)
  },
})

const wall = [
  d.W(52, '帮忙把旧衣柜搬到楼下', 'open', '助老', 40 * 60e3, { requester_name: '李*华' }),
  d.W(51, '周末辅导初二数学两小时', 'open', '课业辅导', 5 * HOUR, { requester_name: '陈*' }),
  d.W(49, '想学用智能手机挂号', 'open', '技能', DAY, { requester_name: '王*兰' }),
  d.W(47, '卫生间下水道堵了', 'open', '维修', 2 * DAY, { requester_name: '刘*明' }),
  d.W(45, '陪同去区医院复查', 'open', '就医陪护', 3 * DAY, { requester_name: '赵*芬' }),
]
screen('member-wall', 'data', {
  route: 'pages/member/wall/wall',
  routes(api) {
    api.on('GET /api/v1/me', d.member)
    api.on('GET /api/v1/wishes/wall', fx.page(wall))
  },
})
screen('member-wall', 'empty', {
  route: 'pages/member/wall/wall',
  routes(api) {
    api.on('GET /api/v1/me', d.member)
    api.on('GET /api/v1/wishes/wall', fx.page([]))
  },
})
screen('member-wall', 'error', {
  route: 'pages/member/wall/wall',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/wishes/wall', NETWORK_DOWN)
  },
})

screen('member-complete', 'data', {
  route: 'pages/member/complete/complete',
  query: { id: '41' },
  routes(api) {
    api.on('GET /api/v1/me', d.member)
    api.on('GET /api/v1/wishes/:id', d.acceptedWish(null, { viewer_is_requester: false, actions: ['complete'], requester: { name: '王秀兰', phone: '13800000001', room: '4号楼1单元102', masked: false } }))
    api.on('POST /api/v1/uploads', { url: '/uploads/done.jpg', ref: '/uploads/done.jpg', kind: 'image' })
  },
  async after(page) {
    const { helpers } = require('../render')
    page.instance.setData({ note: '换了阀芯，试过不漏了，顺便把软管也换了' })
    await helpers.tap(page, '#photos', '#pp-add')
    await helpers.flush(10)
  },
})
screen('member-complete', 'error', {
  route: 'pages/member/complete/complete',
  query: { id: '41' },
  offline: true,
  routes(api) {
    api.on('GET /api/v1/wishes/:id', NETWORK_DOWN)
  },
})

screen('member-register', 'form', {
  route: 'pages/member/register/register',
  routes(api) {
    api.on('GET /api/v1/me', d.resident)
    api.on('GET /api/v1/wishes/categories', d.categories)
  },
  async after(page) {
    page.instance.setData({ workUnit: '区税务局', skills: ['水电维修', '智能手机教学'] })
  },
})
screen('member-register', 'submitted', {
  route: 'pages/member/register/register',
  routes(api) {
    api.on('GET /api/v1/me', d.resident)
    api.on('GET /api/v1/wishes/categories', d.categories)
  },
  async after(page) {
    page.instance.submitted('已提交到锦华苑党支部，审批通过后即可接单')
  },
})
screen('member-register', 'error', {
  route: 'pages/member/register/register',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/me', NETWORK_DOWN)
    api.on('GET /api/v1/wishes/categories', NETWORK_DOWN)
  },
})

screen('member-profile', 'data', {
  route: 'pages/member/profile/profile',
  routes(api) {
    api.on('GET /api/v1/members/me', fx.member({ skills: ['水电维修', '家电维修'], share_phone: false }))
    api.on('GET /api/v1/wishes/categories', d.categories)
  },
})
screen('member-profile', 'error', {
  route: 'pages/member/profile/profile',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/members/me', NETWORK_DOWN)
    api.on('GET /api/v1/wishes/categories', NETWORK_DOWN)
  },
})
