// The compound dispatcher's screens: 审核派单, 选择党员派单, 派单跟进, 报到审批.
const { screen, fx, wxHelpers, HOUR, DAY, ago, ahead } = require('../render')
const d = require('./data')

const { NETWORK_DOWN } = wxHelpers

const reviewQueue = [
  d.W(61, '独居，想请人每周来看看', 'pending_review', '助老', 15 * 60e3, { requester_name: '孙*生' }),
  d.W(60, '楼下电动车乱停挡住轮椅通道', 'pending_review', '其他', 3 * HOUR, { requester_name: '周*' }),
  d.W(38, '每周二帮忙去社区医院取降压药', 'pending_review', '助老', 20 * 60e3, { requester_name: '王*兰' }),
  d.W(57, '孩子放学后没人看，想找课业辅导', 'pending_review', '课业辅导', DAY, { requester_name: '吴*' }),
]
screen('dispatch-queue', 'data', {
  route: 'pages/dispatch/queue/queue',
  routes(api) {
    api.on('GET /api/v1/me', d.dispatcher)
    api.on('GET /api/v1/wishes', d.byStatus(reviewQueue))
  },
})
screen('dispatch-queue', 'empty', {
  route: 'pages/dispatch/queue/queue',
  routes(api) {
    api.on('GET /api/v1/me', d.dispatcher)
    api.on('GET /api/v1/wishes', fx.page([]))
  },
})
screen('dispatch-queue', 'error', {
  route: 'pages/dispatch/queue/queue',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/wishes', NETWORK_DOWN)
  },
})

screen('dispatch-candidates', 'data', {
  route: 'pages/dispatch/candidates/candidates',
  query: { id: '47' },
  routes(api) {
    api.on('GET /api/v1/me', d.dispatcher)
    api.on('GET /api/v1/wishes/:id', fx.wishDetail({ id: 47, title: '卫生间下水道堵了', category: 'repair', category_label: '维修', status: 'open', status_label: '待认领' }))
    api.on('GET /api/v1/wishes/:id/candidates', {
      total: 29,
      items: [
        fx.candidate({ member_id: 3, name: '张伟', work_unit: '税务局', skills: ['水电维修'], open_orders: 1, score: 9.5, reasons: ['技能匹配：水电维修', '住得近：同一小区 3号楼', '在办 1 单，未超上限'] }),
        fx.candidate({ member_id: 9, name: '刘建国', work_unit: '区住建局', skills: ['水电维修', '家电维修'], open_orders: 2, score: 7.1, reasons: ['技能匹配：水电维修', '近 30 天完成 4 单，好评率 100%'] }),
        fx.candidate({ member_id: 4, name: '李娜', work_unit: '区人民医院', skills: ['医疗护理'], available: false, open_orders: 0, score: 3.0, reasons: ['同一小区', '已设置暂停接单'] }),
        fx.candidate({ member_id: 5, name: '陈晓东', work_unit: '第一中学', skills: ['课业辅导'], open_orders: 3, score: 1.2, reasons: ['在办 3 单，已达上限'] }),
      ],
    })
  },
  async after(page) {
    const { helpers } = require('../render')
    page.instance.onSelect(helpers.event({ id: 3 }))
  },
})
screen('dispatch-candidates', 'empty', {
  route: 'pages/dispatch/candidates/candidates',
  query: { id: '47' },
  routes(api) {
    api.on('GET /api/v1/wishes/:id', fx.wishDetail({ id: 47, title: '卫生间下水道堵了', category_label: '维修', status: 'open' }))
    api.on('GET /api/v1/wishes/:id/candidates', { total: 0, items: [] })
  },
})
screen('dispatch-candidates', 'error', {
  route: 'pages/dispatch/candidates/candidates',
  query: { id: '47' },
  offline: true,
  routes(api) {
    api.on('GET /api/v1/wishes/:id', NETWORK_DOWN)
    api.on('GET /api/v1/wishes/:id/candidates', NETWORK_DOWN)
  },
})

const followups = [
  fx.orderWithWish({ id: 90, wish_id: 60, wish_title: '楼下电动车乱停挡住轮椅通道', member_name: '刘建国', status: 'offered', status_label: '待接单', created_at: ago(26 * HOUR), expires_at: ago(2 * HOUR) }),
  fx.orderWithWish({ id: 88, wish_id: 58, wish_title: '陪老人去银行办社保卡', member_name: '李娜', status: 'offered', status_label: '待接单', created_at: ago(3 * HOUR), expires_at: ahead(21 * HOUR) }),
]
screen('dispatch-followup', 'data', {
  route: 'pages/dispatch/followup/followup',
  routes(api) {
    api.on('GET /api/v1/orders', d.byStatus(followups))
  },
})
screen('dispatch-followup', 'empty', {
  route: 'pages/dispatch/followup/followup',
  routes(api) {
    api.on('GET /api/v1/orders', fx.page([]))
  },
})
screen('dispatch-followup', 'error', {
  route: 'pages/dispatch/followup/followup',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/orders', NETWORK_DOWN)
  },
})

screen('dispatch-registrations', 'data', {
  route: 'pages/dispatch/registrations/registrations',
  routes(api) {
    api.on('GET /api/v1/members/registrations', fx.page([
      fx.registration({ id: 21, user_name: '李强', work_unit: '区人民医院', skills: ['医疗护理'], created_at: ago(5 * HOUR) }),
      fx.registration({ id: 22, user_name: '马丽', work_unit: '第二中学', skills: ['课业辅导', '心理疏导'], created_at: ago(DAY) }),
    ]))
  },
})
screen('dispatch-registrations', 'empty', {
  route: 'pages/dispatch/registrations/registrations',
  routes(api) {
    api.on('GET /api/v1/members/registrations', fx.page([]))
  },
})
screen('dispatch-registrations', 'error', {
  route: 'pages/dispatch/registrations/registrations',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/members/registrations', NETWORK_DOWN)
  },
})
