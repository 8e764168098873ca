// The resident's screens: 首页, 我的, 绑定小区, 消息, 住户认证, 我的心愿, 我要许愿, 心愿详情.
const { screen, hang, fx, wxHelpers, HOUR, DAY, ago } = require('../render')
const d = require('./data')

const { NETWORK_DOWN } = wxHelpers

// ---------------------------------------------------------------- 首页
screen('home', 'resident', {
  route: 'pages/home/home',
  tab: 'home',
  routes(api) {
    api.on('GET /api/v1/me', d.resident)
    api.on('GET /api/v1/inbox', { items: d.inboxItems, next_cursor: null, unread: 2 })
  },
})
screen('home', 'first-launch', {
  route: 'pages/home/home',
  tab: 'home',
  offer: true,
  elderChoice: '',
  routes(api) {
    api.on('GET /api/v1/me', fx.me({ name: '王秀兰', household_status: 'pending', household_id: null, room: null, verification: { id: 12, household_id: 74, room: '4号楼1单元102', status: 'pending', method: null, reason: null, created_at: ago(HOUR), decided_at: null } }))
  },
})
screen('home', 'gridworker', {
  route: 'pages/home/home',
  tab: 'home',
  routes(api) {
    api.on('GET /api/v1/me', fx.gridWorkerMe({ household_status: 'verified', roles: ['resident', 'party_member', 'grid_worker'], grants: [{ role: 'grid_worker', scope_type: 'grid', scope_id: 1 }, { role: 'party_member', scope_type: 'compound', scope_id: 1 }] }))
  },
})
screen('home', 'dispatcher', {
  route: 'pages/home/home',
  tab: 'home',
  routes(api) {
    api.on('GET /api/v1/me', fx.dispatcherMe({ household_status: 'verified', roles: ['resident', 'dispatcher', 'community_admin'] }))
  },
})
screen('home', 'loading', {
  route: 'pages/home/home',
  tab: 'home',
  wait: false,
  before(wx) {
    hang(wx, 'GET /api/v1/me')
  },
})
screen('home', 'error', {
  route: 'pages/home/home',
  tab: 'home',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/me', NETWORK_DOWN)
  },
})

// ---------------------------------------------------------------- 我的
screen('me', 'data', {
  route: 'pages/me/me',
  tab: 'me',
  routes(api) {
    api.on('GET /api/v1/me', fx.memberMe({ household_status: 'verified' }))
    api.on('GET /api/v1/inbox', { items: [], next_cursor: null, unread: 1 })
  },
})
screen('me', 'error', {
  route: 'pages/me/me',
  tab: 'me',
  routes(api) {
    api.on('GET /api/v1/me', wxHelpers.fail(503, 'upstream_unavailable', '微信服务暂时不可用，请稍后再试'))
  },
})

// ---------------------------------------------------------------- 绑定小区
const compounds = [
  fx.compound({ id: 1, name: '锦华苑', address: '幸福路1号', community_name: '和谐社区' }),
  fx.compound({ id: 2, name: '锦绣家园', address: '幸福路18号', community_name: '和谐社区' }),
  fx.compound({ id: 3, name: '金色阳光小区', address: '东城路66号', community_name: '阳光社区' }),
]
screen('bind', 'data', {
  route: 'pages/bind/bind',
  routes(api) {
    api.on('GET /api/v1/me', fx.newUser())
    api.on('GET /api/v1/org/compounds', fx.page(compounds))
  },
})
screen('bind', 'empty', {
  route: 'pages/bind/bind',
  routes(api) {
    api.on('GET /api/v1/me', fx.newUser())
    api.on('GET /api/v1/org/compounds', fx.page([]))
  },
  async after(page) {
    page.instance.setData({ q: '幸福里' })
  },
})
screen('bind', 'error', {
  route: 'pages/bind/bind',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/me', NETWORK_DOWN)
    api.on('GET /api/v1/org/compounds', NETWORK_DOWN)
  },
})

// ---------------------------------------------------------------- 消息
screen('inbox', 'data', {
  route: 'pages/inbox/inbox',
  routes(api) {
    api.on('GET /api/v1/inbox', { items: d.inboxItems, next_cursor: null, unread: 2 })
  },
})
screen('inbox', 'empty', {
  route: 'pages/inbox/inbox',
  routes(api) {
    api.on('GET /api/v1/inbox', { items: [], next_cursor: null, unread: 0 })
  },
})
screen('inbox', 'loading', {
  route: 'pages/inbox/inbox',
  wait: false,
  before(wx) {
    hang(wx, 'GET /api/v1/inbox')
  },
})
screen('inbox', 'error', {
  route: 'pages/inbox/inbox',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/inbox', NETWORK_DOWN)
  },
})

// ---------------------------------------------------------------- 住户认证
const claim = (status, extra = {}) => Object.assign({ id: 12, household_id: 74, room: '4号楼1单元102', status, method: null, reason: null, created_at: ago(3 * HOUR), decided_at: null }, extra)
screen('verify', 'pending', {
  route: 'pages/verify/verify',
  routes(api) {
    api.on('GET /api/v1/me', fx.me({ household_status: 'pending', household_id: null, room: null, verification: claim('pending') }))
  },
})
screen('verify', 'verified', {
  route: 'pages/verify/verify',
  routes(api) {
    api.on('GET /api/v1/me', fx.me({ household_status: 'verified', verification: claim('verified', { method: 'phone', decided_at: ago(2 * HOUR) }) }))
  },
})
screen('verify', 'rejected', {
  route: 'pages/verify/verify',
  routes(api) {
    api.on('GET /api/v1/me', fx.me({ household_status: 'none', household_id: null, room: null, verification: claim('rejected', { method: 'staff', reason: '该户登记的是赵家，楼栋长没有核实到您住这里', decided_at: ago(DAY) }) }))
  },
})
screen('verify', 'none', {
  route: 'pages/verify/verify',
  routes(api) {
    api.on('GET /api/v1/me', fx.me({ household_status: 'none', household_id: null, room: null, verification: null }))
  },
})
screen('verify', 'privacy', {
  route: 'pages/verify/verify',
  routes(api) {
    api.on('GET /api/v1/me', fx.me({ household_status: 'pending', household_id: null, room: null, verification: claim('pending') }))
  },
  async after(page, wx) {
    // WeChat asks for the privacy notice before the phone number is read
    wx.__needPrivacy('getPhoneNumber')
  },
})
screen('verify', 'error', {
  route: 'pages/verify/verify',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/me', NETWORK_DOWN)
  },
})

// ---------------------------------------------------------------- 我的心愿
screen('wish-mine', 'data', {
  route: 'pages/wish/mine/mine',
  tab: 'wishes',
  routes(api) {
    api.on('GET /api/v1/me', d.resident)
    api.on('GET /api/v1/wishes', d.byStatus(d.myWishes))
  },
})
screen('wish-mine', 'empty', {
  route: 'pages/wish/mine/mine',
  tab: 'wishes',
  routes(api) {
    api.on('GET /api/v1/me', d.resident)
    api.on('GET /api/v1/wishes', fx.page([]))
  },
})
screen('wish-mine', 'loading', {
  route: 'pages/wish/mine/mine',
  tab: 'wishes',
  wait: false,
  before(wx) {
    hang(wx, 'GET /api/v1/wishes')
  },
  routes(api) {
    api.on('GET /api/v1/me', d.resident)
  },
})
screen('wish-mine', 'error', {
  route: 'pages/wish/mine/mine',
  tab: 'wishes',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/me', d.resident)
    api.on('GET /api/v1/wishes', NETWORK_DOWN)
  },
})

// ---------------------------------------------------------------- 我要许愿
screen('wish-new', 'empty', {
  route: 'pages/wish/new/new',
  routes(api) {
    api.on('GET /api/v1/me', d.resident)
    api.on('GET /api/v1/wishes/categories', d.categories)
  },
})
screen('wish-new', 'data', {
  route: 'pages/wish/new/new',
  routes(api) {
    api.on('GET /api/v1/me', d.resident)
    api.on('GET /api/v1/wishes/categories', d.categories)
    api.on('POST /api/v1/uploads', (req) => (/mp3/.test(req.data.filePath) ? { url: '/uploads/v1.mp3', ref: '/uploads/v1.mp3', kind: 'audio', duration_ms: 14000 } : { url: '/uploads/p1.jpg', ref: '/uploads/p1.jpg', kind: 'image' }))
  },
  async after(page, wx) {
    const { helpers } = require('../render')
    page.instance.setData({ description: '厨房水龙头漏水，关不紧，晚上滴水声睡不着。白天我都在家。', category: 'repair' })
    await helpers.tap(page, '#voice', '#vn-start')
    await helpers.flush()
    wx.__recorder.__finish(14000)
    await helpers.flush(10)
    await helpers.tap(page, '#photos', '#pp-add')
    await helpers.flush(10)
  },
})
screen('wish-new', 'recording', {
  route: 'pages/wish/new/new',
  routes(api) {
    api.on('GET /api/v1/me', d.resident)
    api.on('GET /api/v1/wishes/categories', d.categories)
  },
  async after(page) {
    const { helpers } = require('../render')
    await helpers.tap(page, '#voice', '#vn-start')
    helpers.find(page, '#voice').instance.setData({ seconds: 8, left: 52 })
  },
})
screen('wish-new', 'loading', {
  route: 'pages/wish/new/new',
  wait: false,
  before(wx) {
    hang(wx, 'GET /api/v1/wishes/categories')
  },
  routes(api) {
    api.on('GET /api/v1/me', d.resident)
  },
})
screen('wish-new', 'error', {
  route: 'pages/wish/new/new',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/me', NETWORK_DOWN)
    api.on('GET /api/v1/wishes/categories', NETWORK_DOWN)
  },
})

// ---------------------------------------------------------------- 心愿详情
screen('wish-detail', 'contact-call', {
  route: 'pages/wish/detail/detail',
  query: { id: '41', as: 'mine' },
  routes(api) {
    api.on('GET /api/v1/me', d.resident)
    api.on('GET /api/v1/wishes/:id', d.acceptedWish({ member_name: '张伟', phone: '13900000001', can_call: true, callback_requested_at: null }))
  },
})
screen('wish-detail', 'contact-callback', {
  route: 'pages/wish/detail/detail',
  query: { id: '41', as: 'mine' },
  routes(api) {
    api.on('GET /api/v1/me', d.resident)
    api.on('GET /api/v1/wishes/:id', d.acceptedWish({ member_name: '张伟', phone: null, can_call: false, callback_requested_at: ago(12 * 60e3) }))
  },
})
screen('wish-detail', 'confirm', {
  route: 'pages/wish/detail/detail',
  query: { id: '40', as: 'mine' },
  routes(api) {
    api.on('GET /api/v1/me', d.resident)
    api.on(
      'GET /api/v1/wishes/:id',
      fx.wishDetail({
        id: 40,
        title: '想学用智能手机和孙子视频',
        status: 'completed',
        status_label: '待确认',
        created_at: ago(3 * DAY),
        viewer_is_requester: true,
        actions: ['confirm'],
        events: [
          fx.event('created', '提交心愿', null, 'pending_review', { actor_name: '王秀兰', at: ago(3 * DAY) }),
          fx.event('approved', '审核通过', 'pending_review', 'open', { actor_name: '赵敏（小区党支部）', at: ago(2.5 * DAY) }),
          fx.event('claimed', '党员认领', 'open', 'accepted', { actor_name: '李娜', at: ago(2 * DAY) }),
          fx.event('completed', '党员完成服务', 'accepted', 'completed', { actor_name: '李娜', at: ago(26 * HOUR), note: '已教会视频通话和发语音，写了步骤贴在冰箱上' }),
        ],
        order: fx.order({ id: 70, member_name: '李娜', kind: 'claim', status: 'completed', status_label: '已完成', note: null, completion_note: '已教会视频通话和发语音，写了步骤贴在冰箱上', photos: ['/uploads/done-1.jpg'] }),
      })
    )
  },
})
screen('wish-detail', 'member-voice', {
  route: 'pages/wish/detail/detail',
  query: { id: '52' },
  routes(api) {
    api.on('GET /api/v1/me', d.member)
    api.on(
      'GET /api/v1/wishes/:id',
      fx.wishDetail({
        id: 52,
        title: '帮忙把旧衣柜搬到楼下',
        category_label: '助老',
        status: 'open',
        status_label: '待认领',
        created_at: ago(3 * HOUR),
        description: '',
        voice: { url: '/uploads/v52.mp3?exp=1&sig=ab', seconds: 23 },
        requester: { name: '李*华', phone: null, room: null, masked: true },
        viewer_is_requester: false,
        actions: ['claim'],
        events: [fx.event('created', '提交心愿', null, 'pending_review', { actor_name: '李*华', at: ago(3 * HOUR) }), fx.event('approved', '审核通过', 'pending_review', 'open', { actor_name: '赵敏（小区党支部）', at: ago(40 * 60e3) })],
      })
    )
  },
})
screen('wish-detail', 'loading', {
  route: 'pages/wish/detail/detail',
  query: { id: '41', as: 'mine' },
  wait: false,
  before(wx) {
    hang(wx, 'GET /api/v1/wishes/41')
  },
  routes(api) {
    api.on('GET /api/v1/me', d.resident)
  },
})
screen('wish-detail', 'error', {
  route: 'pages/wish/detail/detail',
  query: { id: '41', as: 'mine' },
  offline: true,
  routes(api) {
    api.on('GET /api/v1/me', NETWORK_DOWN)
    api.on('GET /api/v1/wishes/:id', NETWORK_DOWN)
  },
})
