// Where a message (inbox item or subscribe message) leads in this mini-program.
// The backend sends `page` ("pages/wish/detail/detail?id=42") and `ref_type` / `ref_id`; a page
// this app does not have is mapped by what the message refers to.

// The non-tab pages of app.json, subpackages included (tests/utils.test.js keeps this list in step).
const PAGES = [
  'pages/bind/bind',
  'pages/wish/new/new',
  'pages/wish/detail/detail',
  'pages/inbox/inbox',
  'pages/verify/verify',
  'pages/member/wall/wall',
  'pages/member/complete/complete',
  'pages/member/register/register',
  'pages/member/profile/profile',
  'pages/dispatch/queue/queue',
  'pages/dispatch/candidates/candidates',
  'pages/dispatch/followup/followup',
  'pages/dispatch/registrations/registrations',
  'pages/grid/households/households',
  'pages/grid/household/household',
  'pages/grid/visit/visit',
  'pages/grid/queue/queue',
  'pages/grid/coverage/coverage',
  'pages/grid/verifications/verifications',
  'pages/issue/list/list',
  'pages/issue/detail/detail',
  'pages/issue/new/new',
  'pages/stats/rates/rates',
  'pages/assess/departments/departments',
  'pages/assess/competition/competition',
  'pages/airing/list/list',
  'pages/airing/detail/detail',
  'pages/proposal/new/new',
  'pages/proposal/mine/mine',
  'pages/proposal/detail/detail',
  'pages/proposal/review/review',
  'pages/proposal/meeting/meeting',
  'pages/proposal/board/board',
  'pages/cobuild/activities/activities',
  'pages/cobuild/activity/activity',
  'pages/cobuild/mine/mine',
  'pages/cobuild/roster/roster',
  'pages/cobuild/lists/lists',
  'pages/cobuild/opportunities/opportunities',
  'pages/project/list/list',
  'pages/project/detail/detail',
  'pages/project/tasks/tasks',
  'pages/project/checkin/checkin',
  'pages/project/ballots/ballots',
  'pages/project/appraisal/appraisal',
  'pages/project/results/results',
  'pages/project/plan/plan',
  'pages/project/reviews/reviews',
]

// Tab pages: a message that leads to one opens it with wx.switchTab.
const TAB_PAGES = ['pages/home/home', 'pages/wish/mine/mine', 'pages/orders/orders', 'pages/todo/todo', 'pages/me/me']

function splitPage(page) {
  const clean = String(page || '').replace(/^\//, '')
  const i = clean.indexOf('?')
  return { path: i >= 0 ? clean.slice(0, i) : clean, query: i >= 0 ? clean.slice(i) : '' }
}

function pageFor(message) {
  const { path, query } = splitPage(message.page)
  if (path && (PAGES.indexOf(path) >= 0 || TAB_PAGES.indexOf(path) >= 0)) return '/' + path + query
  if (message.ref_type === 'wish' && message.ref_id) return '/pages/wish/detail/detail?id=' + message.ref_id
  if (message.ref_type === 'issue' && message.ref_id) return '/pages/issue/detail/detail?id=' + message.ref_id
  if (message.ref_type === 'proposal' && message.ref_id) return '/pages/proposal/detail/detail?id=' + message.ref_id
  if (message.ref_type === 'meeting' && message.ref_id) return '/pages/proposal/meeting/meeting?id=' + message.ref_id
  if (message.ref_type === 'registration') return '/pages/member/register/register'
  return ''
}

function isTab(url) {
  return TAB_PAGES.indexOf(splitPage(url).path) >= 0
}

module.exports = { PAGES, TAB_PAGES, pageFor, splitPage, isTab }
