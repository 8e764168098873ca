// Roles from GET /api/v1/me and what each one sees: the tab bar and the home page entries.
const { ACTIONS } = require('./glossary')

const ROLE_LABELS = {
  resident: '居民',
  party_member: '党员',
  dispatcher: '小区党支部',
  grid_worker: '网格员',
  community_admin: '社区两委',
  department_staff: '街道部门',
  street_admin: '街道管理员',
  building_chief: '楼栋长',
  department_head: '部门负责人',
  team_leader: '志愿队长',
  partner_contact: '合伙人联系人',
}

// Who does door-to-door visits (走访入户): grid workers and building chiefs.
const GRID_ROLES = ['grid_worker', 'building_chief']
// Who reads the three rates (三率) of their community / street.
const ADMIN_ROLES = ['community_admin', 'street_admin']
// A department's staff, who answer whistled grid issues.
const DEPT_ROLES = ['department_staff', 'department_head']
// Who claims list items and organises activities (三清单, 签到管理 from an activity's page).
const COBUILD_ROLES = ['team_leader', 'partner_contact', 'community_admin', 'street_admin']
// Who may be given a project task (GET /project-tasks/mine): departments, partners, members.
const TASK_ROLES = ['department_staff', 'department_head', 'partner_contact', 'party_member']
// Who signs in daily at their contact places (GET /checkins/places).
const CHECKIN_ROLES = ['department_staff']
// 年度计划: the compound branch edits and submits, the community admin approves (GET /plans).
const PLAN_ROLES = ['dispatcher', 'community_admin']
// 项目评估 (年中、年底观摩评估): the community admin (GET /project-reviews).
const REVIEW_ROLES = ['community_admin']

function hasAnyRole(me, list) {
  return list.some((r) => hasRole(me, r))
}

function hasRole(me, role) {
  return !!(me && Array.isArray(me.roles) && me.roles.indexOf(role) >= 0)
}

function roleLabels(me) {
  return ((me && me.roles) || []).map((r) => ROLE_LABELS[r] || r)
}

// Tab pages, in app.json order; custom-tab-bar shows those the user's roles allow. WeChat allows
// at most 5 tab pages: the grid worker's 走访 (on foot, all day) has one, and the dispatcher's
// 审核派单 (desk work) is the first entry of 首页 → 小区工作 instead.
const TABS = [
  { key: 'home', text: '首页', icon: 'home', path: '/pages/home/home' },
  { key: 'wishes', text: ACTIONS.myWishes, icon: 'heart', path: '/pages/wish/mine/mine' },
  { key: 'orders', text: '接单', icon: 'task', path: '/pages/orders/orders', role: 'party_member' },
  { key: 'todo', text: '走访', icon: 'location', path: '/pages/todo/todo', roles: GRID_ROLES },
  { key: 'me', text: '我的', icon: 'user', path: '/pages/me/me' },
]

function tabsFor(me) {
  return TABS.filter((t) => (t.roles ? hasAnyRole(me, t.roles) : !t.role || hasRole(me, t.role)))
}

// Who reviews proposals (提案审核): the compound's branch, the community, the street.
const PROPOSAL_REVIEWERS = ['dispatcher', 'community_admin', 'street_admin']
// Who runs or supervises the deliberation day (议事日) from the home page.
const MEETING_ROLES = ['community_admin', 'street_admin', 'dispatcher']

function proposalEntries(me) {
  const entries = [
    { key: 'new-proposal', text: ACTIONS.newProposal, icon: 'edit-1', url: '/pages/proposal/new/new' },
    { key: 'my-proposals', text: ACTIONS.myProposals, icon: 'file', url: '/pages/proposal/mine/mine' },
    { key: 'proposal-board', text: ACTIONS.proposalBoard, icon: 'notification', url: '/pages/proposal/board/board' },
  ]
  if (hasAnyRole(me, PROPOSAL_REVIEWERS)) {
    entries.push({ key: 'proposal-review', text: ACTIONS.reviewProposals, icon: 'check-rectangle', url: '/pages/proposal/review/review' })
  }
  // every resident sees the deliberation day of their community (agenda, check-in); staff run it
  if (hasAnyRole(me, MEETING_ROLES) || (me && me.compound_id)) {
    entries.push({ key: 'meeting', text: ACTIONS.meeting, icon: 'usergroup', url: '/pages/proposal/meeting/meeting' })
  }
  return entries
}

// Home page entries, grouped by role. `tab: true` entries are opened with wx.switchTab.
function homeSections(me) {
  const sections = [
    {
      title: '居民服务',
      entries: [
        { key: 'new-wish', text: ACTIONS.newWish, icon: 'edit', url: '/pages/wish/new/new' },
        { key: 'my-wishes', text: ACTIONS.myWishes, icon: 'heart', url: '/pages/wish/mine/mine', tab: true },
        { key: 'airing', text: '晾晒台', icon: 'sunny', url: '/pages/airing/list/list' },
      ],
    },
  ]
  // 社区提案: everyone proposes, follows their own and reads the public board
  sections.push({
    title: '社区提案',
    entries: proposalEntries(me),
  })
  if (hasRole(me, 'party_member')) {
    sections.push({
      title: '党员服务',
      entries: [
        { key: 'wall', text: '心愿墙', icon: 'view-module', url: '/pages/member/wall/wall' },
        { key: 'orders', text: '我的接单', icon: 'task', url: '/pages/orders/orders', tab: true },
        { key: 'profile', text: '技能与时间', icon: 'tools', url: '/pages/member/profile/profile' },
      ],
    })
  } else {
    sections[0].entries.push({ key: 'register', text: '党员双报到', icon: 'flag', url: '/pages/member/register/register' })
  }
  const staff = []
  if (hasRole(me, 'dispatcher')) {
    staff.push({ key: 'queue', text: '审核派单', icon: 'assignment', url: '/pages/dispatch/queue/queue' })
    staff.push({ key: 'followup', text: '派单跟进', icon: 'time', url: '/pages/dispatch/followup/followup' })
  }
  if (hasRole(me, 'dispatcher') || hasRole(me, 'community_admin')) {
    staff.push({ key: 'registrations', text: '报到审批', icon: 'user-checked', url: '/pages/dispatch/registrations/registrations' })
  }
  if (staff.length) sections.push({ title: '小区工作', entries: staff })
  if (hasAnyRole(me, GRID_ROLES)) {
    const grid = [
      { key: 'todo', text: '待走访', icon: 'location', url: '/pages/todo/todo', tab: true },
      { key: 'households', text: '住户台账', icon: 'home', url: '/pages/grid/households/households' },
      { key: 'visit-queue', text: '走访同步', icon: 'cloud-upload', url: '/pages/grid/queue/queue' },
      { key: 'verifications', text: '住户认证审核', icon: 'user-checked', url: '/pages/grid/verifications/verifications' },
    ]
    // coverage is for grid workers (building chiefs are counted in it, but do not read it)
    if (hasRole(me, 'grid_worker')) {
      grid.push({ key: 'coverage', text: '走访覆盖', icon: 'chart-bar', url: '/pages/grid/coverage/coverage' })
    }
    if (hasRole(me, 'grid_worker')) {
      grid.push({ key: 'my-issues', text: '网格事件', icon: 'error-circle', url: '/pages/issue/list/list?mode=mine' })
    }
    sections.push({ title: '网格走访', entries: grid })
  }
  if (hasAnyRole(me, DEPT_ROLES)) {
    sections.push({
      title: '部门工作',
      entries: [
        { key: 'dept-issues', text: '部门事件', icon: 'notification', url: '/pages/issue/list/list?mode=department' },
        { key: 'dept-assessment', text: ACTIONS.assessment, icon: 'chart-radar', url: '/pages/assess/departments/departments' },
      ],
    })
  }
  if (hasAnyRole(me, ADMIN_ROLES)) {
    sections.push({
      title: '社区治理',
      entries: [
        { key: 'rates', text: '三率统计', icon: 'chart-bar', url: '/pages/stats/rates/rates' },
        { key: 'competition', text: ACTIONS.competition, icon: 'flag', url: '/pages/assess/competition/competition' },
      ],
    })
    // the street admin weighs and reads every department (staff read theirs from 部门工作)
    if (hasRole(me, 'street_admin')) {
      sections[sections.length - 1].entries.push({ key: 'assessment', text: ACTIONS.assessment, icon: 'chart-radar', url: '/pages/assess/departments/departments' })
    }
  }
  sections.push(cobuildSection(me))
  sections.push(projectSection(me))
  const appraisal = appraisalSection(me)
  if (appraisal.entries.length) sections.push(appraisal)
  return sections
}

// 小区评议会 (subpackage project): the quarter's evaluation meeting for whoever lives in a compound
// (they rate it there), its branch (sends the results) and the community admin (reviews them);
// the published results for the same people and the street admin.
const APPRAISAL_ROLES = ['dispatcher', 'community_admin']

function appraisalSection(me) {
  const entries = []
  if ((me && me.compound_id) || hasAnyRole(me, APPRAISAL_ROLES)) {
    entries.push({ key: 'appraisal', text: ACTIONS.appraisal, icon: 'star', url: '/pages/project/appraisal/appraisal' })
  }
  if ((me && me.compound_id) || hasAnyRole(me, APPRAISAL_ROLES.concat(['street_admin']))) {
    entries.push({ key: 'appraisal-results', text: ACTIONS.appraisalResults, icon: 'chart-bar', url: '/pages/project/results/results' })
  }
  return { title: '小区评议', entries }
}

// 志愿共建 (subpackage cobuild): activities and my hours for everyone, the lists for organisers
function cobuildSection(me) {
  const entries = [
    { key: 'activities', text: '志愿活动', icon: 'calendar', url: '/pages/cobuild/activities/activities' },
    { key: 'my-volunteering', text: '我的志愿', icon: 'time', url: '/pages/cobuild/mine/mine' },
    { key: 'opportunities', text: '合伙人招募', icon: 'user-add', url: '/pages/cobuild/opportunities/opportunities' },
  ]
  if (hasAnyRole(me, COBUILD_ROLES)) entries.push({ key: 'lists', text: '三清单', icon: 'view-list', url: '/pages/cobuild/lists/lists' })
  return { title: '志愿共建', entries }
}

// 项目 (subpackage project): the public page and the ballots for everyone, tasks and sign-in by role
function projectSection(me) {
  const entries = [
    { key: 'projects', text: ACTIONS.projectBoard, icon: 'chart-pie', url: '/pages/project/list/list' },
    { key: 'ballots', text: ACTIONS.ballots, icon: 'star', url: '/pages/project/ballots/ballots' },
  ]
  if (hasAnyRole(me, TASK_ROLES)) entries.push({ key: 'tasks', text: ACTIONS.myTasks, icon: 'task-checked', url: '/pages/project/tasks/tasks' })
  if (hasAnyRole(me, CHECKIN_ROLES)) entries.push({ key: 'checkin', text: ACTIONS.dailyCheckin, icon: 'location', url: '/pages/project/checkin/checkin' })
  if (hasAnyRole(me, PLAN_ROLES)) entries.push({ key: 'plan', text: ACTIONS.annualPlan, icon: 'calendar-edit', url: '/pages/project/plan/plan' })
  if (hasAnyRole(me, REVIEW_ROLES)) entries.push({ key: 'reviews', text: ACTIONS.projectReviews, icon: 'assignment-checked', url: '/pages/project/reviews/reviews' })
  return { title: '项目与测评', entries }
}

module.exports = { APPRAISAL_ROLES, TASK_ROLES, CHECKIN_ROLES, PLAN_ROLES, REVIEW_ROLES, ROLE_LABELS, TABS, PROPOSAL_REVIEWERS, MEETING_ROLES, GRID_ROLES, ADMIN_ROLES, DEPT_ROLES, COBUILD_ROLES, hasRole, hasAnyRole, roleLabels, tabsFor, homeSections }
