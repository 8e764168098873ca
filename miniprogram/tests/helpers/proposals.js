// Response bodies for the proposal and deliberation pages, shaped like openapi.json's
// ProposalListsOut, ProposalSummary, ProposalDetail and MeetingDetail.
const T0 = '2026-11-19T02:00:00Z'

const NEGATIVE = [
  '涉及个人或少数人私利，不具有公共性的',
  '违反法律法规或政策规定的',
  '已进入诉讼、仲裁、信访等法定程序的',
  '属于物业服务合同约定义务，应由物业企业履行的',
  '属于政府部门法定职责，应依职能办理的',
  '涉及党和国家秘密、个人隐私的',
  '涉及宗教、民族等敏感问题的',
  '以营利为目的或带有商业广告性质的',
  '内容空泛、没有具体问题和解决办法的',
  '已经议定或正在实施、重复提出的',
  '超出本级职权范围且不能转交办理的',
  '涉及房屋产权、遗产继承等民事纠纷的',
  '含有攻击、诽谤他人或不文明内容的',
].map((text, i) => ({ code: 'N' + String(i + 1).padStart(2, '0'), text }))

function lists() {
  return {
    street_id: 1,
    version: 0,
    encouraged: [
      { code: 'facilities', name: '公共设施维修', description: '楼道照明、健身器材、休闲座椅等公共设施的维修和增设' },
      { code: 'environment', name: '环境整治', description: '垃圾分类、绿化补植、楼道清理' },
      { code: 'neighbourly', name: '邻里互助', description: '结对帮扶、共享工具、爱心食堂、邻里调解等互帮互助项目' },
      { code: 'culture', name: '文体活动', description: '广场舞、书画、读书会' },
      { code: 'safety', name: '平安建设', description: '消防通道、电动车充电、监控补盲' },
      { code: 'elderly_children', name: '为老为小服务', description: '助餐助浴、四点半课堂' },
    ],
    negative: NEGATIVE,
  }
}

const STEP_NAMES = [
  ['collect', '收集'],
  ['review', '审议'],
  ['form', '形成'],
  ['execute', '联动执行'],
  ['evaluate', '评估'],
  ['publish', '公示'],
]

function steps(done = 0) {
  return STEP_NAMES.map(([key, name], i) => ({
    key,
    name,
    done: i < done,
    at: i < done ? '2026-11-2' + i + 'T02:00:00Z' : null,
    by: i < done ? (i === 0 ? '王秀兰' : '赵敏') : null,
  }))
}

function summary(o = {}) {
  return Object.assign(
    {
      id: 7,
      level: 'compound',
      level_label: '小区',
      kind: 'individual',
      kind_label: '个人提案',
      title: '3号楼加装楼道扶手',
      category: 'facilities',
      category_name: '公共设施维修',
      status: 'draft',
      status_label: '草稿',
      compound_id: 1,
      community_id: 1,
      proposer_name: '王秀兰',
      cosign_count: 0,
      steps_done: 0,
      created_at: T0,
      updated_at: T0,
    },
    o
  )
}

function detail(o = {}) {
  return Object.assign(
    summary(),
    {
      problem: '3号楼住着很多老人，楼梯没有扶手，上下楼容易摔倒。',
      solution: '每个单元一到六楼加装不锈钢扶手，先在3号楼试点。',
      will_undertake: true,
      undertaking: '我女婿做装修，可以联系施工队',
      estimated_cost: 3000,
      organisation_name: null,
      photos: [],
      list_version: 0,
      cosign_threshold: null,
      cosigners: [],
      viewer_cosigned: false,
      viewer_is_proposer: true,
      review_reason: null,
      negative_items: [],
      agenda: null,
      execution: null,
      rating_count: 0,
      rating_average: null,
      notice_until: null,
      steps: steps(0),
      events: [{ type: 'created', label: '起草提案', from_status: null, to_status: 'draft', actor_name: '王秀兰', at: T0, note: null }],
      actions: ['edit', 'submit', 'withdraw'],
    },
    o
  )
}

function agendaItem(o = {}) {
  return Object.assign(
    {
      id: 21,
      community_id: 1,
      compound_id: 1,
      text: '【提案】3号楼加装楼道扶手',
      meeting_date: '2026-12-10',
      status: 'scheduled',
      status_label: '已列入议程',
      source: 'proposal',
      source_label: '社区提案',
      meeting_id: 3,
      merged_into_id: null,
      decline_reason: null,
      outcome: null,
      outcome_label: null,
      votes_for: null,
      votes_against: null,
      abstained: null,
      outcome_note: null,
      follow_up: null,
      defer_count: 0,
      flagged: false,
      decided_at: null,
      done_at: null,
      created_at: T0,
    },
    o
  )
}

const NINE = [
  ['organise', '建立议事组织', true, '召集人已明确'],
  ['platform', '搭建议事平台', true, '社区党群服务中心二楼'],
  ['gather', '汇总诉求清单', true, '征集议题3项'],
  ['select', '选定协商议题', true, '列入议程2项'],
  ['forms', '丰富议事形式', false, '参会0人'],
  ['content', '规范议事内容', false, '已议定0/2项'],
  ['funding', '筹措项目资金', false, '落实资金0/0项'],
  ['track', '跟踪项目实施', false, '明确责任人0/0项'],
  ['evaluate', '评估反馈效果', false, '通过事项办结0/0项'],
]

function meeting(o = {}) {
  return Object.assign(
    {
      id: 3,
      kind: 'deliberation_day',
      kind_label: '党群议事日',
      community_id: 1,
      compound_id: null,
      date: '2026-12-10',
      place: '社区党群服务中心二楼',
      convener_name: '刘主任',
      status: 'planned',
      status_label: '筹备中',
      attendance_count: 0,
      reminded_at: null,
      closed_at: null,
      minutes: null,
      items: [agendaItem(), agendaItem({ id: 22, text: '小区南门电动车充电桩', source: 'resident', source_label: '居民征集' })],
      steps: NINE.map(([key, name, done, d]) => ({ key, name, done, at: done ? T0 : null, detail: d })),
      actions: ['check_in'],
    },
    o
  )
}

module.exports = { lists, summary, detail, steps, agendaItem, meeting, NEGATIVE }
