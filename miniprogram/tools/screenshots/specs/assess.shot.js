// The assessment screens (pages/assess): 部门考核 (the ranking, a part's recount, the weights refused,
// a staff member's own department, loading and error) and 夺旗摘星 (the ranking with the street's
// pending entries, a computed indicator's items, a community admin entering a value, error).
const { screen, hang, wxHelpers, MP } = require('../render')
const as = require(MP + '/tests/helpers/assess')

const { NETWORK_DOWN } = wxHelpers

const streetAdmin = { id: 10, name: '郑国栋', phone: '13700000005', compound_id: 1, compound_name: '锦华苑', household_id: 50, room: '3号楼1单元102', household_status: 'verified', roles: ['resident', 'street_admin'], grants: [{ role: 'street_admin', scope_type: 'street', scope_id: 1 }] }
const communityAdmin = Object.assign({}, streetAdmin, { id: 8, name: '周海', roles: ['resident', 'community_admin'], grants: [{ role: 'community_admin', scope_type: 'community', scope_id: 1 }] })
const staff = Object.assign({}, streetAdmin, { id: 9, name: '刘强', roles: ['department_staff'], grants: [{ role: 'department_staff', scope_type: 'department', scope_id: 4 }] })

function departments() {
  const names = [
    [4, '住建办', 91.25],
    [6, '综合执法办', 84.6],
    [2, '城市管理服务中心', 78.33],
    [5, '社会事务办', 72.1],
    [3, '应急管理办', 65.4],
  ]
  return names.map(([id, name, total], i) => {
    const d = as.department({ dept: { department_id: id, department_name: name, total, rank: i + 1 } })
    if (id === 3) {
      d.parts.satisfaction = Object.assign({}, d.parts.satisfaction, { score: null, figure: as.fig('居民满意率', 'issue', { satisfied: [], unsatisfied: [] }, ['satisfied']) })
      d.weight_used = 85
    }
    return d
  })
}

// ---------------------------------------------------------------- 部门考核
screen('assess-departments', 'data', {
  route: 'pages/assess/departments/departments',
  routes(api) {
    api.on('GET /api/v1/me', streetAdmin)
    api.on('GET /api/v1/assessments/departments', as.assessment({ departments: departments() }))
  },
})
screen('assess-departments', 'drill', {
  route: 'pages/assess/departments/departments',
  routes(api) {
    api.on('GET /api/v1/me', streetAdmin)
    api.on('GET /api/v1/assessments/departments', as.assessment({ departments: departments() }))
  },
  async after(page) {
    const { helpers } = require('../render')
    await helpers.tap(page, '#part-4-disposal')
  },
})
screen('assess-departments', 'checkin', {
  route: 'pages/assess/departments/departments',
  routes(api) {
    api.on('GET /api/v1/me', staff)
    api.on('GET /api/v1/assessments/departments', as.assessment({ departments: [as.department()] }))
  },
  async after(page) {
    const { helpers } = require('../render')
    await helpers.tap(page, '#part-4-checkin')
  },
})
screen('assess-departments', 'weights', {
  route: 'pages/assess/departments/departments',
  routes(api) {
    api.on('GET /api/v1/me', streetAdmin)
    api.on('GET /api/v1/assessments/departments', as.assessment({ departments: departments() }))
    api.on('PUT /api/v1/assessments/weights', wxHelpers.fail(422, 'weights_not_100', '各项权重之和应为100，现为110'))
  },
  async after(page) {
    const { helpers } = require('../render')
    await helpers.tap(page, '#edit-weights')
    page.instance.onWeight({ currentTarget: { dataset: { code: 'checkin' } }, detail: { value: '25' } })
    await helpers.tap(page, '#save-weights')
  },
})
screen('assess-departments', 'loading', {
  route: 'pages/assess/departments/departments',
  wait: false,
  before(wx) {
    hang(wx, 'GET /api/v1/assessments/departments')
  },
})
screen('assess-departments', 'error', {
  route: 'pages/assess/departments/departments',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/assessments/departments', NETWORK_DOWN)
  },
})

// ---------------------------------------------------------------- 夺旗摘星
function competition() {
  const pending = as.entry({ id: 2, value: 2, evidence: '锦华苑、翠湖花园两个小区已引入红色物业，协议已签', photos: [], status: 'pending', status_label: '待审核', decided_by: null, decided_at: null })
  return as.competition({
    communities: [
      as.community({ entries: { brand: as.entry(), property: pending } }),
      as.community({ community_id: 2, extra: { community_name: '明德社区', rank: 2 }, entries: { brand: as.entry({ id: 3, status: 'rejected', status_label: '未通过', reason: '缺少挂牌照片' }) } }),
      as.community({ community_id: 3, extra: { community_name: '幸福里社区', rank: 3, stars: 1, reached: 2, flag: false } }),
    ],
  })
}
screen('assess-competition', 'data', {
  route: 'pages/assess/competition/competition',
  routes(api) {
    api.on('GET /api/v1/me', streetAdmin)
    api.on('GET /api/v1/competition', competition())
  },
})
screen('assess-competition', 'drill', {
  route: 'pages/assess/competition/competition',
  routes(api) {
    api.on('GET /api/v1/me', communityAdmin)
    api.on('GET /api/v1/competition', competition())
  },
  async after(page) {
    const { helpers } = require('../render')
    await helpers.tap(page, '#ind-1-response')
  },
})
screen('assess-competition', 'entry', {
  route: 'pages/assess/competition/competition',
  routes(api) {
    api.on('GET /api/v1/me', communityAdmin)
    api.on('GET /api/v1/competition', competition())
  },
  async after(page) {
    const { helpers } = require('../render')
    await helpers.tap(page, '#ind-1-property')
    await helpers.tap(page, '#open-form')
  },
})
screen('assess-competition', 'error', {
  route: 'pages/assess/competition/competition',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/competition', NETWORK_DOWN)
  },
})
