// The client cannot drift from the server: every route function in services/api.js is called and
// what it sends (method, path, query names, JSON body) is checked against ../openapi/openapi.json.
const fs = require('fs')
const path = require('path')
const { installWx } = require('./helpers/wx')

const SPEC_PATH = path.resolve(__dirname, '../../openapi/openapi.json')
const spec = JSON.parse(fs.readFileSync(SPEC_PATH, 'utf8'))

// One sample call per function; every field the function can send is filled in.
const SAMPLES = {
  login: [],
  uploadPhoto: ['wxfile://tmp/a.jpg'],
  getMe: [],
  updateMe: [{ name: '王秀兰', phone: '13800000001', compound_id: 1, household_id: 2 }],
  searchCompounds: [{ q: '锦华', cursor: '3', limit: 20 }],
  getMember: [],
  updateMember: [{ skills: ['水电维修'], work_unit: '税务局', available: true }],
  registerMember: [{ compound_id: 1, work_unit: '税务局', skills: ['水电维修'] }],
  listRegistrations: [{ status: 'pending', compound_id: 1, cursor: '3', limit: 20 }],
  approveRegistration: [21],
  rejectRegistration: [21, '不是本小区居民'],
  listCategories: [],
  createWish: [{ title: '水龙头漏水', description: '一直滴水', category: 'repair', photos: ['/uploads/a.jpg'] }],
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
        findings: [{ kind: 'need', text: '想请人换灯泡', photos: ['/uploads/a.jpg'] }],
      },
    ],
  ],
  listVisitTodo: [{ grid_id: 1, within_days: 7, cursor: '0.7.1794900275896624.22', limit: 50 }],
  getVisitCoverage: [{ grid_id: 1, period: '2026-11' }],
  listAiring: [{ cursor: '3', limit: 20 }],
  getAiring: [4],
  getEscalationStats: [{ scope: 'community:1', period: '2026-Q4' }],
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

    const found = findOperation(call.method, call.path)
    if (!found) throw new Error(`${name}: ${call.method} ${call.path} is not in openapi.json`)
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
    const props = Object.keys(schema.properties || {})
    Object.keys(call.data || {}).forEach((k) => {
      if (props.indexOf(k) < 0) throw new Error(`${name}: body field "${k}" is not in ${call.method} ${template}`)
    })
    ;(schema.required || []).forEach((k) => {
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
  body.visits.forEach((v) => {
    Object.keys(v).forEach((k) => expect(Object.keys(visitIn.properties)).toContain(k))
    visitIn.required.forEach((k) => expect(v).toHaveProperty(k))
    expect(visitIn.properties.outcome.enum).toContain(v.outcome)
    v.findings.forEach((f) => {
      Object.keys(f).forEach((k) => expect(Object.keys(findingIn.properties)).toContain(k))
      findingIn.required.forEach((k) => expect(f).toHaveProperty(k))
      expect(findingIn.properties.kind.enum).toContain(f.kind)
    })
  })
})
