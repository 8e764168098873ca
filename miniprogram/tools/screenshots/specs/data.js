// Realistic data for the screens: a compound (锦华苑) of 和谐社区 with its residents, members,
// wishes, visits and issues, times relative to now so that dates read as a phone shows them.
const { fx, HOUR, DAY, ago, ahead } = require('../render')

const resident = fx.me({ name: '王秀兰', phone: '13800000001', room: '4号楼1单元102', household_status: 'verified' })
const member = fx.memberMe()
const dispatcher = fx.dispatcherMe()
const gridWorker = fx.gridWorkerMe({ name: '孙丽' })

const LABELS = { pending_review: '待审核', rejected: '未通过', open: '待认领', dispatched: '已派单', accepted: '服务中', completed: '待确认', closed: '已完成', cancelled: '已取消' }
const W = (id, title, status, category_label, createdAgo, extra = {}) =>
  fx.wish(Object.assign({ id, title, status, status_label: LABELS[status], category_label, created_at: ago(createdAgo), updated_at: ago(createdAgo) }, extra))

const myWishes = [
  W(41, '厨房水龙头漏水，关不紧', 'accepted', '维修', 2 * HOUR),
  W(40, '想学用智能手机和孙子视频', 'completed', '技能', 3 * DAY),
  W(38, '每周二帮忙去社区医院取降压药', 'pending_review', '助老', 20 * 60e3),
  W(33, '楼道灯坏了，晚上看不清台阶', 'closed', '维修', 12 * DAY),
  W(29, '帮忙填写高龄补贴申请表', 'rejected', '代办', 30 * DAY),
]

const categories = {
  items: [
    { code: 'elder_care', label: '助老', skills: ['助老服务'] },
    { code: 'repair', label: '维修', skills: ['水电维修'] },
    { code: 'errand', label: '代办', skills: [] },
    { code: 'skills', label: '技能', skills: ['智能手机教学'] },
    { code: 'medical_escort', label: '就医陪护', skills: ['医疗护理'] },
    { code: 'education', label: '课业辅导', skills: ['课业辅导'] },
    { code: 'other', label: '其他', skills: [] },
  ],
}

const inboxItems = [
  { id: 51, event: 'order_accepted', title: '党员已接下您的心愿', body: '张伟（税务局）接下了您的心愿「厨房水龙头漏水，关不紧」，可以在心愿页面联系他。', page: 'pages/wish/detail/detail?id=41', ref_type: 'wish', ref_id: 41, created_at: ago(2 * HOUR), read: false, read_at: null },
  { id: 50, event: 'wish_completed', title: '请确认服务完成', body: '您的心愿「想学用智能手机和孙子视频」党员已提交完成情况，请确认并评价。', page: 'pages/wish/detail/detail?id=40', ref_type: 'wish', ref_id: 40, created_at: ago(26 * HOUR), read: false, read_at: null },
  { id: 47, event: 'wish_reviewed', title: '心愿审核通过', body: '您的心愿「厨房水龙头漏水，关不紧」已通过审核，正在为您安排党员。', page: 'pages/wish/detail/detail?id=41', ref_type: 'wish', ref_id: 41, created_at: ago(3 * DAY), read: true, read_at: ago(3 * DAY) },
  { id: 44, event: 'wish_rejected', title: '心愿未通过审核', body: '您的心愿「帮忙填写高龄补贴申请表」未通过：请到社区服务站窗口办理，工作人员会协助填写。', page: 'pages/wish/detail/detail?id=29', ref_type: 'wish', ref_id: 29, created_at: ago(30 * DAY), read: true, read_at: ago(29 * DAY) },
]

function byStatus(list) {
  return (req) => {
    const st = (req.query.status || '').split(',').filter(Boolean)
    return fx.page(st.length ? list.filter((w) => st.indexOf(w.status) >= 0) : list)
  }
}

const detailEvents = (at) => [
  fx.event('created', '提交心愿', null, 'pending_review', { actor_name: '王秀兰', at: ago(26 * HOUR) }),
  fx.event('approved', '审核通过', 'pending_review', 'open', { actor_name: '赵敏（小区党支部）', at: ago(6 * HOUR) }),
  fx.event('dispatched', '派单', 'open', 'dispatched', { actor_name: '赵敏（小区党支部）', at: ago(5 * HOUR), note: '张伟同志会水电维修，住得近' }),
  fx.event('accepted', '党员接单', 'dispatched', 'accepted', { actor_name: '张伟', at: at || ago(2 * HOUR) }),
]

function acceptedWish(contact, extra = {}) {
  return fx.wishDetail(
    Object.assign(
      {
        id: 41,
        title: '厨房水龙头漏水，关不紧',
        category: 'repair',
        category_label: '维修',
        status: 'accepted',
        status_label: '服务中',
        created_at: ago(26 * HOUR),
        description: '水龙头一直滴水，晚上听得见，我自己拧不动。白天我都在家。',
        photos: ['/uploads/tap-1.jpg', '/uploads/tap-2.jpg'],
        accepted_at: ago(2 * HOUR),
        viewer_is_requester: true,
        actions: ['contact', 'cancel'],
        contact,
        events: detailEvents(),
        order: fx.order({ id: 77, wish_id: 41, member_name: '张伟', status: 'accepted', status_label: '服务中', kind: 'dispatch', note: '张伟同志会水电维修，住得近', created_at: ago(5 * HOUR), responded_at: ago(2 * HOUR), due_at: ahead(6 * DAY) }),
      },
      extra
    )
  )
}

const todos = [
  fx.todo({ household_id: 58, label: '3号楼1单元502', building: { id: 3, name: '3号楼', latitude: 37.4561, longitude: 118.5823 }, care_tags: ['独居老人', '高龄'], cycle_days: 7, last_visit_at: ago(16 * DAY), last_attempt_at: ago(9 * DAY), due_at: ago(9 * DAY), overdue: true, days_overdue: 9, residents: [{ name: '孙福生', relation: '本人', phone: '15121607241' }] }),
  fx.todo({ household_id: 23, label: '1号楼2单元301', building: { id: 1, name: '1号楼', latitude: 37.4555, longitude: 118.5801 }, care_tags: ['残疾', '低保'], cycle_days: 14, last_visit_at: ago(17 * DAY), last_attempt_at: ago(17 * DAY), due_at: ago(3 * DAY), overdue: true, days_overdue: 3, residents: [{ name: '钱桂英', relation: '本人', phone: '13912345678' }, { name: '钱小军', relation: '儿子', phone: '13600001111' }] }),
  fx.todo({ household_id: 31, label: '2号楼1单元602', care_tags: [], cycle_days: 30, last_visit_at: null, last_attempt_at: null, due_at: null, overdue: true, days_overdue: null, residents: [{ name: '郑海涛', relation: '户主', phone: '13611112222' }] }),
  fx.todo({ household_id: 12, label: '1号楼1单元202', building: { id: 1, name: '1号楼', latitude: 37.4555, longitude: 118.5801 }, care_tags: ['退役军人'], cycle_days: 30, last_visit_at: ago(27 * DAY), last_attempt_at: ago(27 * DAY), due_at: ahead(3 * DAY), overdue: false, days_overdue: 0, residents: [{ name: '冯德明', relation: '户主', phone: '13500001111' }] }),
]

const issue = (o = {}) =>
  Object.assign(
    {
      id: 12, status: 'open', status_label: '待处理', category: 'environment', category_label: '环境卫生', urgency: 'normal',
      description: '3号楼1单元楼道堆放纸箱杂物，影响老人通行', location: '锦华苑3号楼1单元楼道', photos: [], source: 'visit', grid_id: 1, compound_id: 1,
      community_id: 1, household_id: null, raised_by: 7, department_id: null, department_name: null,
      created_at: ago(2 * DAY), whistled_at: null, response_due_at: null, disposal_due_at: null,
      responded_at: null, resolved_at: null, confirmed_at: null, response_overdue: false, disposal_overdue: false,
      escalation_level: 0, resolution_note: null, resolution_photos: [], return_reason: null, satisfied: null,
      auto_confirmed: false, comment: null, reopen_count: 0, actions: [], events: [],
    },
    o
  )

module.exports = { resident, member, dispatcher, gridWorker, W, myWishes, categories, inboxItems, byStatus, acceptedWish, detailEvents, todos, issue, LABELS }
