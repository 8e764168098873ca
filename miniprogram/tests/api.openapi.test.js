// The client cannot drift from the server: every route function in services/api.js is called and
// what it sends (method, path, query names, JSON body) is checked against ../openapi/openapi.json.
const fs = require('fs')
const path = require('path')
const { installWx } = require('./helpers/wx')

const SPEC_PATH = path.resolve(__dirname, '../../openapi/openapi.json')
const spec = JSON.parse(fs.readFileSync(SPEC_PATH, 'utf8'))
// contracts.md's additions, for routes and fields the backend has not shipped yet
const contract = require('./helpers/contract')

// One sample call per function; every field the function can send is filled in.
const SAMPLES = {
  login: [],
  uploadPhoto: ['wxfile://tmp/a.jpg'],
  uploadVoice: ['wxfile://tmp/voice-1.mp3'],
  verifyPhone: ['0a1b2c3d4e'],
  leaveHousehold: [],
  listVerifications: [{ status: 'pending', cursor: '3', limit: 20 }],
  approveVerification: [12],
  rejectVerification: [12, '该户登记的居民不认识申请人'],
  requestCallback: [41],
  getMe: [],
  updateMe: [{ name: '王秀兰', phone: '13800000001', compound_id: 1, household_id: 2 }],
  searchCompounds: [{ q: '锦华', cursor: '3', limit: 20 }],
  getMember: [],
  updateMember: [{ skills: ['水电维修'], work_unit: '税务局', available: true, share_phone: false }],
  registerMember: [{ compound_id: 1, work_unit: '税务局', skills: ['水电维修'] }],
  listRegistrations: [{ status: 'pending', compound_id: 1, cursor: '3', limit: 20 }],
  approveRegistration: [21],
  rejectRegistration: [21, '不是本小区居民'],
  listCategories: [],
  createWish: [{ title: '水龙头漏水', description: '一直滴水', category: 'repair', photos: ['/uploads/a.jpg'], voice: '/uploads/v.mp3', voice_seconds: 12 }],
  listWishes: [{ status: 'pending_review', compound_id: 1, mine: true, cursor: '3', limit: 20 }],
  listWall: [{ compound_id: 1, cursor: '3', limit: 20 }],
  getWish: [5],
  cancelWish: [5, '已经修好了'],
  confirmWish: [5, 5, '谢谢'],
  reviewWish: [5, 'reject', '重复提交'],
  getCandidates: [5],
  dispatchWish: [5, 3, '您住得近'],
  claimWish: [5],
  completeWish: [5, '换了阀芯', ['/uploads/b.jpg']],
  listOrders: [{ mine: false, status: 'offered', cursor: '3', limit: 20 }],
  acceptOrder: [11],
  declineOrder: [11, '这周出差'],
  listTemplates: ['create_wish'],
  reportSubscriptions: [{ tmpl1: 'accept', tmpl2: 'reject' }],
  listInbox: [{ cursor: '3', limit: 20 }],
  markRead: [31],
  markAllRead: [],
  listHouseholds: [{ grid_id: 1, compound_id: 1, building_id: 2, tag: '独居老人', q: '101', cursor: '3', limit: 20 }],
  listCareTags: [],
  getHousehold: [58],
  listHouseholdVisits: [58, { cursor: '1795436153000000.2481', limit: 20 }],
  postVisitBatch: [
    [
      {
        client_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
        household_id: 58,
        visited_at: '2026-11-23T02:00:00.000Z',
        outcome: 'met',
        people_met: ['户主'],
        note: '身体不错',
        location: { lat: 37.4563, lng: 118.5821, accuracy: 12 },
        findings: [{ kind: 'need', text: '想请人换灯泡', photos: ['/uploads/a.jpg'], resident_id: 101 }],
      },
    ],
  ],
  listVisitTodo: [{ grid_id: 1, within_days: 7, cursor: '0.7.1794900275896624.22', limit: 50 }],
  getVisitCoverage: [{ grid_id: 1, period: '2026-11' }],
  listAiring: [{ cursor: '3', limit: 20 }],
  getAiring: [4],
  getEscalationStats: [{ scope: 'community:1', period: '2026-Q4' }],
  getDepartmentAssessment: [{ year: 2026, department_id: 4 }],
  putAssessmentWeights: [{ response: 20, disposal: 20, satisfaction: 15, evaluation: 20, checkin: 15, overdue: 10 }],
  getIndicators: [2026],
  getCompetition: [{ year: 2026, period: '2026-Q4' }],
  enterIndicator: [2026, 'property', { community_id: 1, value: 2, evidence: '两个小区引入红色物业', photos: ['/uploads/a.jpg'] }],
  decideIndicatorEntry: [3, 'reject', '缺少协议复印件'],
  listIssues: [{ mine: true, status: 'whistled', cursor: '3', limit: 20 }],
  getIssue: [12],
  listDepartments: [],
  whistleIssue: [12, 2],
  respondIssue: [12, '已收到，马上到场'],
  resolveIssue: [12, '已清理', ['/uploads/c.jpg']],
  returnIssue: [12, '不属于本部门职责'],
  raiseIssue: [{ household_id: 3, category: 'hazard', urgency: 'urgent', description: '楼道电线裸露', location: '3号楼1单元', photos: ['/uploads/d.jpg'] }],
  confirmIssue: [12, false, '还有异味'],
  listIssuePlaces: [],
  reopenIssue: [12, '问题又出现了'],
  getProposalLists: [],
  listProposals: [{ level: 'community', status: 'published,closed', category: 'facilities', mine: true, cursor: '3', limit: 20 }],
  getProposal: [7],
  createProposal: [
    {
      level: 'compound',
      kind: 'joint',
      title: '加装楼道扶手',
      problem: '老人上下楼不便',
      solution: '每个单元加装扶手',
      category: 'facilities',
      will_undertake: true,
      undertaking: '我来联系施工',
      estimated_cost: 3000,
      organisation_name: null,
      partner_id: 3,
      photos: ['/uploads/e.jpg'],
    },
  ],
  editProposal: [7, { solution: '先在3号楼试点', photos: [] }],
  submitProposal: [7, true],
  withdrawProposal: [7, '问题已解决'],
  cosignProposal: [7],
  reviewProposal: [7, { decision: 'reject', reason: '属于物业合同约定义务', negative_codes: ['property_duty'], to_level: null }],
  rateProposal: [7, 5, '扶手很结实'],
  publishProposal: [7],
  startExecution: [7, { executor: '王秀兰（提案人）', task: '联系施工队加装扶手', due: '2027-01-10' }],
  finishExecution: [7, '扶手已装好'],
  raiseTopic: ['小区停车难', 1],
  listMeetings: [{ community_id: 1, cursor: '3', limit: 20 }],
  getMeeting: [3],
  checkInMeeting: [3],
  recordOutcome: [3, 9, { decision: 'adopted', votes_for: 12, votes_against: 1, abstained: 2, note: '先试点', follow_up: { kind: 'plan', owner: '社区', due: '2027-01-10', funding: '社区公益金' } }],
  closeMeeting: [3, '会议纪要'],
  // co-building
  listActivities: [{ community_id: 1, team_id: 2, series_id: 3, upcoming: true, my_community: true, cursor: '3', limit: 20 }],
  getActivity: [7],
  signUp: [7],
  cancelSignup: [70],
  checkInActivity: [7, 'hh1.7.29876543.0123456789abcdef01234567'],
  listMySignups: [{ cursor: '3', limit: 20 }],
  listRoster: [7],
  getCheckinCode: [7],
  postRoster: [7, [{ client_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6', user_id: 5, checked_in_at: '2026-12-05T01:05:00.000Z' }]],
  checkOut: [70, '2026-12-05T03:00:00.000Z'],
  closeActivity: [7],
  getTimebank: [{ cursor: '3', limit: 20 }],
  listProjects: [{ scope: 'compound', year: 2026, status: 'in_progress', key: true, cursor: '3', limit: 20 }],
  getProject: [3],
  moveProject: [3, 'suspended', '等待材料到货'],
  listMyTasks: [{ cursor: '3', limit: 20 }],
  getTask: [8],
  acceptTask: [8],
  reportTask: [8, '已完成一半', ['/uploads/t.jpg']],
  completeTask: [8, '全部完成', ['/uploads/t.jpg']],
  listPlans: [{ year: 2026, cursor: '3', limit: 20 }],
  getPlan: [1, 2026],
  savePlan: [1, 2026, { project_ids: [3, 4], new_projects: [{ title: '楼道照明改造', key: true, undertaker: '锦华苑党支部' }] }],
  submitPlan: [1, 2026],
  decidePlan: [1, 2026, 'return', '请补充预算'],
  listProjectReviews: [{ year: 2026, kind: 'midyear', reviewed: false, community_id: 1, cursor: '3', limit: 20 }],
  reviewProject: [3, 'yearend', 92, '按期完成，居民满意'],
  listCheckinPlaces: [],
  postCheckins: [[{ client_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6', at: '2026-12-02T01:05:00.000Z', place_kind: 'compound', place_id: 1, latitude: 30.1, longitude: 120.2 }]],
  getCheckinSummary: [{ department_id: 2, period: '2026-12' }],
  listBallots: [],
  castBallot: [4, 1, { q1: 5, q2: '很好' }],
  getAppraisalSheet: [9],
  rateAppraisal: [9, [{ line_id: 'project:1', score: 2, comment: '进度太慢' }, { line_id: 'committee', score: 5, comment: null }]],
  submitAppraisal: [9, '更正评分录入错误'],
  reviewAppraisal: [9, 'return', '请补充物业评价'],
  listAppraisals: [{ compound_id: 1, period: '2026-Q3', cursor: '3', limit: 20 }],
  getAppraisal: [2],
  getOrgTree: [],
  listOffers: [{ partner_id: 2, cursor: '3', limit: 20 }],
  redeemOffer: [4],
  cancelRedemption: [9],
  listListItems: [{ batch_id: 1, community_id: 1, kind: 'need', status: 'open', cursor: '3', limit: 20 }],
  getListItem: [12],
  claimListItem: [12, { claimant_kind: 'partner', claimant_id: 2, note: '我们有志愿者' }],
  decideClaim: [30, 'decline', '已有单位认领'],
  withdrawClaim: [30],
  listOpportunities: [{ community_id: 1, cursor: '3', limit: 20 }],
  getOpportunity: [3],
  applyOpportunity: [3, { partner: { kind: 'shop', name: '惠民理发店', contact: '王师傅 138****0001', services: ['理发'] }, pitch: '每月一次上门理发' }],
}
// Exports that are not routes.
const NOT_ROUTES = ['ApiError', 'logout', 'hasToken', 'createClient', 'TOKEN_KEY']

function resolve(schema) {
  let s = schema
  while (s && s.$ref) {
    const name = s.$ref.split('/').pop()
    s = spec.components.schemas[name]
  }
  return s
}

function findOperation(method, urlPath) {
  for (const template of Object.keys(spec.paths)) {
    const re = new RegExp('^' + template.replace(/\{[^}]+\}/g, '[^/]+') + '$')
    if (re.test(urlPath) && spec.paths[template][method.toLowerCase()]) {
      return { template, op: spec.paths[template][method.toLowerCase()] }
    }
  }
  return null
}

// A route of contracts.md that openapi.json does not have yet, as an operation of the same shape.
function findContractRoute(method, urlPath) {
  for (const key of Object.keys(contract.routes)) {
    const [m, template] = key.split(' ')
    const re = new RegExp('^' + template.replace(/\{[^}]+\}/g, '[^/]+') + '$')
    if (m === method && re.test(urlPath)) {
      const r = contract.routes[key]
      const op = { parameters: r.query.map((name) => ({ in: 'query', name })) }
      if (r.body) op.requestBody = { content: { 'application/json': { schema: { properties: r.body.properties.reduce((o, k) => Object.assign(o, { [k]: {} }), {}), required: r.body.required } } } }
      return { template, op, fromContract: true }
    }
  }
  return null
}

function record(wx) {
  const sent = []
  wx.request.mockImplementation((opts) => {
    const u = new URL(opts.url)
    const query = {}
    u.searchParams.forEach((v, k) => {
      query[k] = v
    })
    sent.push({ method: opts.method || 'GET', path: u.pathname, query, data: opts.data, multipart: false })
    const data = u.pathname === '/api/v1/auth/wechat' ? { access_token: 't' } : {}
    setTimeout(() => opts.success({ statusCode: 200, data }), 0)
  })
  wx.uploadFile.mockImplementation((opts) => {
    const u = new URL(opts.url)
    sent.push({ method: 'POST', path: u.pathname, query: {}, data: null, multipart: true, name: opts.name })
    setTimeout(() => opts.success({ statusCode: 201, data: '{"url":"/uploads/x.jpg"}' }), 0)
  })
  return sent
}

let wx, api

beforeEach(() => {
  jest.resetModules()
  ;({ wx } = installWx())
  api = require('../services/api')
})

test('every function of the API module has a sample call here', () => {
  const functions = Object.keys(api).filter((k) => NOT_ROUTES.indexOf(k) < 0)
  expect(functions.sort()).toEqual(Object.keys(SAMPLES).sort())
})

describe.each(Object.keys(SAMPLES))('%s', (name) => {
  test('sends only what openapi.json declares', async () => {
    const sent = record(wx)
    wx.setStorageSync('hh_token', name === 'login' ? '' : 't')
    await api[name](...SAMPLES[name])
    const calls = sent.filter((c) => name === 'login' || c.path !== '/api/v1/auth/wechat')
    expect(calls).toHaveLength(1)
    const call = calls[0]

    const found = findOperation(call.method, call.path) || findContractRoute(call.method, call.path)
    if (!found) throw new Error(`${name}: ${call.method} ${call.path} is not in openapi.json nor in contracts.md`)
    const { op, template } = found

    // query parameters must be declared
    const declared = (op.parameters || []).filter((p) => p.in === 'query').map((p) => p.name)
    Object.keys(call.query).forEach((q) => {
      if (declared.indexOf(q) < 0) throw new Error(`${name}: query "${q}" is not a parameter of ${call.method} ${template}`)
    })

    // the body must fit the declared request body
    const content = op.requestBody && op.requestBody.content
    if (call.multipart) {
      expect(content && content['multipart/form-data']).toBeTruthy()
      const schema = resolve(content['multipart/form-data'].schema)
      expect(Object.keys(schema.properties)).toContain(call.name)
      return
    }
    if (!content) {
      expect(call.data === undefined || call.data === null || Object.keys(call.data).length === 0).toBe(true)
      return
    }
    expect(content['application/json']).toBeTruthy()
    const schema = resolve(content['application/json'].schema)
    const extra = contract.bodies[call.method + ' ' + template] || {}
    const props = Object.keys(schema.properties || {}).concat(extra.add || [])
    Object.keys(call.data || {}).forEach((k) => {
      if (props.indexOf(k) < 0) throw new Error(`${name}: body field "${k}" is not in ${call.method} ${template}`)
    })
    ;(schema.required || []).filter((k) => (extra.optional || []).indexOf(k) < 0).forEach((k) => {
      if (!(k in (call.data || {}))) throw new Error(`${name}: required body field "${k}" missing for ${template}`)
    })
  })
})

// The visits of a batch are checked field by field: VisitBatchIn.visits accepts any object (a bad
// item is answered one by one), so the item schema VisitIn and its FindingIn are what must fit.
test('postVisitBatch: each visit and finding fits VisitIn and FindingIn', async () => {
  const sent = record(wx)
  wx.setStorageSync('hh_token', 't')
  await api.postVisitBatch(...SAMPLES.postVisitBatch)
  const body = sent[0].data
  const visitIn = resolve({ $ref: '#/components/schemas/VisitIn' })
  const findingIn = resolve({ $ref: '#/components/schemas/FindingIn' })
  expect(visitIn && findingIn).toBeTruthy()
  const locationIn = resolve({ $ref: '#/components/schemas/LocationIn' })
  body.visits.forEach((v) => {
    Object.keys(v).forEach((k) => expect(Object.keys(visitIn.properties)).toContain(k))
    if (v.location) {
      Object.keys(v.location).forEach((k) => expect(Object.keys(locationIn.properties)).toContain(k))
      locationIn.required.forEach((k) => expect(v.location).toHaveProperty(k))
    }
    visitIn.required.forEach((k) => expect(v).toHaveProperty(k))
    expect(visitIn.properties.outcome.enum).toContain(v.outcome)
    v.findings.forEach((f) => {
      Object.keys(f).forEach((k) => expect(Object.keys(findingIn.properties)).toContain(k))
      findingIn.required.forEach((k) => expect(f).toHaveProperty(k))
      expect(findingIn.properties.kind.enum).toContain(f.kind)
    })
  })
})

// The overlay only stands in for what openapi.json lacks: an entry the backend has shipped is
// reported so it can be removed (the client is then checked against the real schema alone).
test('contracts.md overlay: every route is used by the client; shipped ones are pointed out', () => {
  const shipped = Object.keys(contract.routes).filter((key) => {
    const [m, template] = key.split(' ')
    const path = template.replace(/\{[^}]+\}/g, '1')
    return !!findOperation(m, path)
  })
  if (shipped.length) console.warn('contracts.md routes now in openapi.json (remove them from tests/helpers/contract.js): ' + shipped.join(', '))
  const source = fs.readFileSync(path.resolve(__dirname, '../services/api.js'), 'utf8')
  Object.keys(contract.routes).forEach((key) => {
    const tail = key.split(' ')[1].split('/').filter((p) => p && p[0] !== '{').pop()
    expect(source).toContain('/' + tail)
  })
})

test('a visit location is LocationIn {lat, lng, accuracy} (contracts.md §4 says latitude / longitude; the schema wins)', () => {
  const loc = resolve({ $ref: '#/components/schemas/LocationIn' })
  expect(Object.keys(loc.properties).sort()).toEqual(['accuracy', 'lat', 'lng'])
  const findingIn = resolve({ $ref: '#/components/schemas/FindingIn' })
  expect(Object.keys(findingIn.properties)).toContain('resident_id')
})

// Two functions of one name in services/api.js: the second silently replaces the first (the meeting's
// 签到 once called the activity's check-in route). The client's names and the samples' must be unique.
test('every client function and every sample has a name of its own', () => {
  const names = (file, indent) => {
    const src = fs.readFileSync(path.resolve(__dirname, file), 'utf8')
    return [...src.matchAll(new RegExp('^' + indent + '([A-Za-z_]\\w*): ', 'gm'))].map((m) => m[1])
  }
  const dupes = (list) => list.filter((n, i) => list.indexOf(n) !== i)
  const client = names('../services/api.js', '    ')
  expect(client.length).toBeGreaterThan(100)
  expect(dupes(client)).toEqual([])
  expect(dupes(names('./api.openapi.test.js', '  '))).toEqual([])
})
