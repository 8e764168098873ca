// The app's one glossary: the words for statuses and actions that every page shows.
// Pages never spell a status or an action themselves (tests/glossary.test.js checks every page and
// component), so a wish and its order agree (服务中 on both), an open wish is 待认领 everywhere and
// the resident's entry is 我要许愿 everywhere. The status words are those the API returns as
// `status_label` (../../contracts.md §5); the app shows these even where an older backend still
// sends another word (the wish's `accepted` was 已接单 before issue 15).

// ---- statuses
const WISH_STATUS = {
  pending_review: '待审核',
  rejected: '未通过',
  open: '待认领',
  dispatched: '已派单',
  accepted: '服务中',
  completed: '待确认',
  closed: '已完成',
  cancelled: '已取消',
}

const ORDER_STATUS = {
  offered: '待接单',
  accepted: '服务中',
  declined: '已婉拒',
  expired: '已超时',
  completed: '已完成',
  cancelled: '已取消',
}

// backend/issues/state.py
const ISSUE_STATUS = {
  open: '待处理',
  whistled: '已吹哨',
  responded: '已响应',
  returned: '已退回',
  resolved: '已办结',
  reopened: '已重新打开',
  confirmed: '已确认',
}

const REGISTRATION_STATUS = { pending: '待审批', approved: '已通过', rejected: '未通过' }

// a resident's claim to a household (contracts.md §1)
const VERIFICATION_STATUS = { pending: '待审核', verified: '已认证', rejected: '未通过' }
const HOUSEHOLD_STATUS = { none: '未认证', pending: '认证中', verified: '已认证' }

// a visit on the phone (services/visit-queue.js)
const SYNC_STATE = {
  pending: '待同步',
  syncing: '同步中',
  created: '已同步',
  duplicate: '已同步（重复）',
  error: '同步失败',
}

const VISIT_OUTCOME = { met: '见到居民', not_home: '家中无人', refused: '拒绝走访', moved: '已搬离' }

const FINDING_KIND = { need: '困难需求', hazard: '安全隐患', dispute: '矛盾纠纷', suggestion: '意见建议' }

const ORDER_KIND = { claim: '认领', dispatch: '派单' }

// 社区提案 (backend/proposals/state.py)
const PROPOSAL_STATUS = {
  draft: '草稿',
  cosigning: '联名征集中',
  submitted: '待审议',
  returned: '已退回修改',
  rejected: '未予受理',
  withdrawn: '已撤回',
  accepted: '已立项待议事',
  not_adopted: '议事未通过',
  adopted: '议事通过',
  executing: '联动执行中',
  evaluating: '评估中',
  published: '公示中',
  closed: '已办结',
}
const PROPOSAL_LEVEL = { compound: '小区级', community: '社区级', street: '街道级' }
const PROPOSAL_KIND = { individual: '个人提案', joint: '联名提案', organisation: '单位提案' }

// 党群议事日 (backend/deliberation/state.py): agenda items, meetings, an item's outcome
const AGENDA_STATUS = {
  proposed: '待议',
  scheduled: '已列入议程',
  merged: '已合并',
  declined: '不予上会',
  decided: '已议定',
  done: '已办结',
}
const MEETING_STATUS = { planned: '筹备中', closed: '会议已结束' }
const OUTCOME = { adopted: '表决通过', deferred: '暂缓', rejected: '表决未通过', referred: '转交办理' }
const MEETING_KIND = { deliberation_day: '党群议事日', heart_to_heart: '恳谈会', regular: '例会', evaluation: '小区评议会' }
// ---- co-building (共建): volunteering, the time bank, the three lists, partners
// backend/volunteering/state.py: a sign-up to an activity
const SIGNUP_STATUS = {
  registered: '已报名',
  waitlisted: '候补',
  checked_in: '已签到',
  completed: '已完成',
  no_show: '未到场',
  cancelled: '已取消',
}
// a redemption of credits (held until the partner confirms)
const REDEMPTION_STATUS = { requested: '待确认', confirmed: '已兑换', declined: '已婉拒', cancelled: '已取消' }
// the organiser's roster, entry by entry (RosterResult.result), and one still on the phone
const ROSTER_RESULT = { pending: '待同步', checked_in: '已签到', walked_in: '现场加入', already: '已签过', refused: '未能签到' }
// backend/lists/state.py
const LIST_KIND = { resource: '资源', need: '需求', project: '项目' }
const LIST_ITEM_STATUS = { open: '待认领', matched: '已对接', closed: '已完成' }
const CLAIM_STATUS = {
  proposed: '待确认',
  matched: '已对接',
  fulfilled: '待评价',
  closed: '已完成',
  declined: '未接受',
  withdrawn: '已撤回',
}
// backend/partners/state.py
const APPLICATION_STATUS = { submitted: '已报名', shortlisted: '入围', accepted: '已录用', declined: '未录用' }
const PARTNER_KIND = {
  company: '企业',
  shop: '商户',
  social_org: '社会组织',
  property: '物业公司',
  work_unit: '机关企事业单位',
  skilled_resident: '社区能人',
}

// ---- projects (issue 18): backend/projects/state.py, backend/evaluations
const PROJECT_STATUS = {
  planned: '计划中',
  approved: '已审批',
  in_progress: '实施中',
  suspended: '已暂停',
  completed: '已完成',
  evaluated: '已评估',
  published: '已公示',
  cancelled: '已取消',
}
const TASK_STATUS = { assigned: '待接收', accepted: '执行中', completed: '已完成', cancelled: '已取消' }
// a department sign-in kept on the phone, then the server's answer (CheckinResult.result)
const CHECKIN_RESULT = { pending: '待同步', accepted: '已签到', duplicate: '已签到', refused: '未能签到' }
// a compound's annual plan (年度计划); none: nobody has started the year's plan yet
const PLAN_STATUS = { none: '尚未编制', draft: '编制中', submitted: '待社区审批', returned: '已退回', approved: '已批准' }
// the community's reviews of a project (年中、年底集中观摩评估), and whether one is done
const REVIEW_KIND = { midyear: '年中评估', yearend: '年底评估' }
const REVIEW_STATE = { pending: '未评', done: '已评' }
// a ballot of an open campaign on this phone
const BALLOT_STATE = { open: '待测评', submitted: '已测评', already: '已投过票' }

// 小区评议会 (backend/appraisal/state.py): the results of an evaluation meeting, the lines of its
// sheet, and a line on this attendee's sheet
const APPRAISAL_STATUS = { submitted: '待社区审核', returned: '已退回', published: '已公示', superseded: '已更正' }
const APPRAISAL_LINE_KIND = { project: '项目', member: '党员', committee: '业委会', property: '物业服务企业' }
const SHEET_LINE = { todo: '未评', chosen: '待提交', done: '已评议' }
// ---- 部门考核 and 夺旗摘星 (issue 18): backend/assessment/state.py (a community's entered value)
const ENTRY_STATUS = { pending: '待审核', approved: '已通过', rejected: '未通过' }
// What each bucket of a figure holds (backend/stats, backend/assessment/parts.py), for the drill-downs.
const FIGURE_BUCKET = {
  on_time: '按时',
  late: '超时',
  unanswered: '超时未响应',
  pending: '未到期',
  reopened: '重新打开',
  returned: '被部门退回',
  unresolved: '超期未办结',
  satisfied: '满意',
  unsatisfied: '不满意',
  auto_confirmed: '自动确认（不计入）',
  awaiting_rating: '待评价（不计入）',
  signed: '已签到',
  missed: '未签到',
  not_counted: '不计入的签到',
  visited: '已走访',
  not_visited: '未走访',
  open: '待认领',
  dispatched: '已派单',
  accepted: '服务中',
  completed: '待确认',
  closed: '已完成',
  adopted: '已采纳',
  not_adopted: '未采纳',
  in_advance: '提前报名',
  walk_in: '现场加入',
  no_due_date: '无完成期限（不计入）',
}
// What one item of a figure is (the figure's `unit`), with its measure word.
const FIGURE_UNIT = { issue: '件', household: '户', wish: '个', contact_day: '人·天', '条': '条', '项': '项' }

// TDesign tag themes (the colours come from app.wxss and pass 4.5:1 on their tint)
const THEMES = {
  wish: {
    pending_review: 'warning',
    rejected: 'danger',
    open: 'primary',
    dispatched: 'primary',
    accepted: 'primary',
    completed: 'warning',
    closed: 'success',
    cancelled: 'default',
  },
  order: { offered: 'warning', accepted: 'primary', completed: 'success', declined: 'default', expired: 'danger', cancelled: 'default' },
  issue: { open: 'warning', whistled: 'danger', responded: 'primary', returned: 'warning', resolved: 'success', reopened: 'danger', confirmed: 'default' },
  registration: { pending: 'warning', approved: 'success', rejected: 'danger' },
  verification: { pending: 'warning', verified: 'success', rejected: 'danger' },
  household: { none: 'default', pending: 'warning', verified: 'success' },
  sync: { pending: 'warning', syncing: 'primary', created: 'success', duplicate: 'success', error: 'danger' },
  outcome: { met: 'success', not_home: 'warning', refused: 'default', moved: 'default' },
  proposal: {
    draft: 'default',
    cosigning: 'warning',
    submitted: 'warning',
    returned: 'danger',
    rejected: 'danger',
    withdrawn: 'default',
    accepted: 'primary',
    not_adopted: 'default',
    adopted: 'primary',
    executing: 'primary',
    evaluating: 'warning',
    published: 'success',
    closed: 'success',
  },
  agenda: { proposed: 'warning', scheduled: 'primary', merged: 'default', declined: 'default', decided: 'primary', done: 'success' },
  meeting: { planned: 'primary', closed: 'default' },
  meetingOutcome: { adopted: 'success', deferred: 'warning', rejected: 'danger', referred: 'primary' },
  signup: { registered: 'primary', waitlisted: 'warning', checked_in: 'success', completed: 'success', no_show: 'danger', cancelled: 'default' },
  redemption: { requested: 'warning', confirmed: 'success', declined: 'danger', cancelled: 'default' },
  roster: { pending: 'warning', checked_in: 'success', walked_in: 'success', already: 'default', refused: 'danger' },
  listItem: { open: 'primary', matched: 'warning', closed: 'success' },
  claim: { proposed: 'warning', matched: 'primary', fulfilled: 'warning', closed: 'success', declined: 'default', withdrawn: 'default' },
  application: { submitted: 'primary', shortlisted: 'warning', accepted: 'success', declined: 'default' },
  project: {
    planned: 'default',
    approved: 'primary',
    in_progress: 'primary',
    suspended: 'warning',
    completed: 'success',
    evaluated: 'success',
    published: 'success',
    cancelled: 'default',
  },
  task: { assigned: 'warning', accepted: 'primary', completed: 'success', cancelled: 'default' },
  checkin: { pending: 'warning', accepted: 'success', duplicate: 'success', refused: 'danger' },
  ballot: { open: 'warning', submitted: 'success', already: 'default' },
  appraisal: { submitted: 'warning', returned: 'danger', published: 'success', superseded: 'default' },
  sheetLine: { todo: 'default', chosen: 'warning', done: 'success' },
  plan: { none: 'default', draft: 'primary', submitted: 'warning', returned: 'danger', approved: 'success' },
  reviewState: { pending: 'warning', done: 'success' },
  entry: { pending: 'warning', approved: 'success', rejected: 'danger' },
}

const STATUS = {
  wish: WISH_STATUS,
  order: ORDER_STATUS,
  issue: ISSUE_STATUS,
  registration: REGISTRATION_STATUS,
  verification: VERIFICATION_STATUS,
  household: HOUSEHOLD_STATUS,
  sync: SYNC_STATE,
  outcome: VISIT_OUTCOME,
  finding: FINDING_KIND,
  orderKind: ORDER_KIND,
  proposal: PROPOSAL_STATUS,
  agenda: AGENDA_STATUS,
  meeting: MEETING_STATUS,
  meetingOutcome: OUTCOME,
  signup: SIGNUP_STATUS,
  redemption: REDEMPTION_STATUS,
  roster: ROSTER_RESULT,
  listKind: LIST_KIND,
  listItem: LIST_ITEM_STATUS,
  claim: CLAIM_STATUS,
  application: APPLICATION_STATUS,
  partnerKind: PARTNER_KIND,
  project: PROJECT_STATUS,
  task: TASK_STATUS,
  checkin: CHECKIN_RESULT,
  ballot: BALLOT_STATE,
  appraisal: APPRAISAL_STATUS,
  sheetLine: SHEET_LINE,
  plan: PLAN_STATUS,
  reviewKind: REVIEW_KIND,
  reviewState: REVIEW_STATE,
  entry: ENTRY_STATUS,
}

// ---- actions: the words on buttons and entries
const ACTIONS = {
  newWish: '我要许愿',
  myWishes: '我的心愿',
  submitWish: '提交心愿',
  cancelWish: '取消心愿',
  confirmWish: '确认完成并评价',
  contactMember: '联系党员',
  callBack: '请党员回电',
  claim: '我来认领',
  accept: '接单',
  decline: '婉拒',
  complete: '提交完成情况',
  approve: '审核通过',
  reject: '驳回',
  dispatch: '派单',
  chooseMember: '选择党员派单',
  redispatch: '重新派单',
  recordVisit: '记录走访',
  saveVisit: '保存走访',
  syncNow: '立即同步',
  retry: '重试',
  remove: '删除',
  reload: '重新加载',
  call: '拨打电话',
  navigate: '导航',
  raiseIssue: '上报事件',
  whistle: '吹哨',
  verifyPhone: '用微信手机号认证',
  leaveHousehold: '迁出本户',
  elderOn: '开启长辈模式',
  newProposal: '我要提案',
  myProposals: '我的提案',
  proposalBoard: '提案公示',
  reviewProposals: '提案审核',
  meeting: '议事日',
  saveDraft: '保存草稿',
  submitProposal: '提交提案',
  cosign: '我要联名',
  withdrawProposal: '撤回提案',
  editProposal: '修改提案',
  resubmit: '修改后重新提交',
  rateProposal: '提交评价',
  acceptProposal: '受理，列入议事日',
  returnProposal: '退回修改',
  rejectProposal: '不予受理',
  referProposal: '转交其他层级',
  checkIn: '我已到场签到',
  recordOutcome: '记录议定结果',
  closeMeeting: '结束会议并提交纪要',
  // co-building
  signUp: '我要报名',
  joinWaitlist: '候补报名',
  cancelSignup: '取消报名',
  scanCheckIn: '扫码签到',
  redeem: '兑换',
  cancelRedeem: '取消兑换',
  showCode: '签到二维码',
  walkIn: '现场加入',
  markPresent: '签到',
  checkOut: '签退',
  closeActivity: '结束活动',
  claimItem: '我要认领',
  acceptClaim: '接受认领',
  declineClaim: '婉拒',
  withdrawClaim: '撤回认领',
  apply: '我要报名合作',
  submitApplication: '提交报名',
  share: '转发到群',
  // projects (issue 18)
  projectBoard: '项目公示',
  myTasks: '我的任务',
  dailyCheckin: '每日签到',
  ballots: '测评',
  acceptTask: '接收任务',
  reportProgress: '报告进展',
  completeTask: '完成任务',
  sendReport: '提交',
  signIn: '签到',
  submitBallot: '提交测评',
  // 小区评议会
  appraisal: '小区评议会',
  appraisalResults: '评议结果',
  submitRatings: '提交评议',
  submitAppraisal: '提交社区审核',
  resubmitAppraisal: '重新提交审核',
  correctAppraisal: '提交更正',
  approveAppraisal: '审核通过并公示',
  returnAppraisal: '退回',
  openSheet: '进入评议表',
  annualPlan: '年度计划',
  projectReviews: '项目评估',
  savePlan: '保存计划',
  submitPlan: '提交社区审批',
  approvePlan: '批准计划',
  returnPlan: '退回修改',
  addToPlan: '列入计划',
  removeFromPlan: '移出计划',
  addPlanned: '添加到计划',
  recordReview: '记录评估',
  submitReview: '提交评估',
  // 部门考核 and 夺旗摘星 (issue 18)
  assessment: '部门考核',
  competition: '夺旗摘星',
  editWeights: '调整权重',
  saveWeights: '保存权重',
  enterValue: '填报',
  submitEntry: '提交填报',
  approveEntry: '审核通过',
  rejectEntry: '退回',
  // the project's lifecycle events the API lists in `actions`
  projectEvents: {
    approved: '审批通过',
    started: '开始实施',
    completed: '实施完成',
    evaluated: '评估完成',
    published: '结果公示',
    suspended: '暂停实施',
    resumed: '恢复实施',
    cancelled: '取消项目',
  },
}

// The label of a status: the glossary's word; for a status it does not know, what the API sent.
function label(kind, status, apiLabel) {
  const words = STATUS[kind] || {}
  return words[status] || apiLabel || status || ''
}

function theme(kind, status) {
  return (THEMES[kind] || {})[status] || 'default'
}

// Every status word of every kind (for the tests).
function allStatusWords() {
  const out = {}
  Object.keys(STATUS).forEach((kind) =>
    Object.keys(STATUS[kind]).forEach((status) => {
      const word = STATUS[kind][status]
      ;(out[word] = out[word] || []).push(kind + '.' + status)
    })
  )
  return out
}

// Words that earlier versions used and that must not come back (tests/glossary.test.js).
const RETIRED = ['我要点单', '已接单', '待派单', '待响应']

module.exports = {
  WISH_STATUS,
  ORDER_STATUS,
  ISSUE_STATUS,
  REGISTRATION_STATUS,
  VERIFICATION_STATUS,
  HOUSEHOLD_STATUS,
  SYNC_STATE,
  VISIT_OUTCOME,
  FINDING_KIND,
  ORDER_KIND,
  PROPOSAL_STATUS,
  PROPOSAL_LEVEL,
  PROPOSAL_KIND,
  AGENDA_STATUS,
  MEETING_STATUS,
  OUTCOME,
  MEETING_KIND,
  SIGNUP_STATUS,
  REDEMPTION_STATUS,
  ROSTER_RESULT,
  LIST_KIND,
  LIST_ITEM_STATUS,
  CLAIM_STATUS,
  APPLICATION_STATUS,
  PARTNER_KIND,
  PROJECT_STATUS,
  TASK_STATUS,
  CHECKIN_RESULT,
  BALLOT_STATE,
  APPRAISAL_STATUS,
  APPRAISAL_LINE_KIND,
  SHEET_LINE,
  ENTRY_STATUS,
  FIGURE_BUCKET,
  FIGURE_UNIT,
  STATUS,
  THEMES,
  ACTIONS,
  RETIRED,
  label,
  theme,
  allStatusWords,
}
