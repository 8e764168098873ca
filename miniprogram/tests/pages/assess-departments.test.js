// 部门考核: departments ranked by the combined score, each part with its score and weight; a part
// drills down to its recount (numerator, denominator, the items); the street admin's weights and the
// API's refusal when they do not sum to 100; staff see their own department only; the error state.
const { setup, openPage, text, tap, retry, exists, flush } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')
const as = require('../helpers/assess')

let wx, api

const street = () => fixtures.me({ roles: ['resident', 'street_admin'], grants: [{ role: 'street_admin', scope_type: 'street', scope_id: 1 }] })
const staff = () => fixtures.me({ roles: ['department_staff'], grants: [{ role: 'department_staff', scope_type: 'department', scope_id: 4 }] })

beforeEach(() => {
  ;({ wx, api } = setup())
})

test('departments ranked with their total; every part with its score, value and weight', async () => {
  api.on('GET /api/v1/me', street())
  api.on('GET /api/v1/assessments/departments', as.assessment())
  const page = await openPage('pages/assess/departments/departments')
  const year = api.callsTo('GET /api/v1/assessments/departments')[0].query.year
  expect(String(year)).toMatch(/^20\d\d$/)
  const first = text(page.querySelector('#dept-4'))
  expect(first).toContain('第1名')
  expect(first).toContain('住建办')
  expect(first).toContain('79.17')
  expect(first).toContain('计分的权重 100 / 100')
  const response = text(page.querySelector('#part-4-response'))
  expect(response).toContain('呼叫应答率')
  expect(response).toContain('3/4')
  expect(response).toContain('75')
  expect(response).toContain('20')
  expect(text(page.querySelector('#part-4-evaluation'))).toContain('均分 4.5')
  expect(text(page.querySelector('#part-4-overdue'))).toContain('超期 2 件')
  expect(text(page.querySelector('#dept-6'))).toContain('第2名')
  expect(exists(page, '#edit-weights')).toBe(true)
})

test('a part drills down to its recount: numerator, denominator and the items; an issue opens', async () => {
  api.on('GET /api/v1/me', street())
  api.on('GET /api/v1/assessments/departments', as.assessment())
  const page = await openPage('pages/assess/departments/departments')
  expect(exists(page, '#drill')).toBe(false)
  await tap(page, '#part-4-disposal')
  const drill = text(page.querySelector('#drill'))
  expect(drill).toContain('住建办 · 事件处置率')
  expect(drill).toMatch(/分子\s*2\s*÷ 分母\s*4\s*件 =\s*50%/)
  expect(drill).toContain('按时 2（计入分子）')
  expect(drill).toContain('重新打开 1')
  expect(drill).toContain('事件 66')
  await tap(page, '#buckets', '#item-on_time-58')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/issue/detail/detail?id=58' })

  await tap(page, '#part-4-satisfaction')
  const sat = text(page.querySelector('#drill'))
  expect(sat).toContain('自动确认（不计入） 1（不计入分母）')

  await tap(page, '#part-4-checkin')
  const checkin = text(page.querySelector('#drill'))
  expect(checkin).toMatch(/分子\s*2\s*÷ 分母\s*3\s*人·天/)
  expect(checkin).toContain('未签到 1')
  expect(checkin).toContain('联系人9 · 社区1')
  expect(checkin).toContain('签到记录 2 条')

  await tap(page, '#part-4-evaluation')
  const ev = text(page.querySelector('#drill'))
  expect(ev).toMatch(/评分合计\s*27\s*÷ 评分题次\s*6\s*= 均分\s*4.5/)
  expect(ev).toContain('测评票 163')

  await tap(page, '#part-4-overdue')
  const od = text(page.querySelector('#drill'))
  expect(od).toMatch(/得分 = 100 − 10 × 2 =\s*80/)
  expect(od).toContain('事件 70')
  expect(od).toContain('任务 12')
  // a second tap closes it
  await tap(page, '#part-4-overdue')
  expect(exists(page, '#drill')).toBe(false)
})

test('a long bucket shows 12 items and 再看 for the rest', async () => {
  const d = as.department()
  d.parts.response.figure = as.fig('呼叫应答率', 'issue', { on_time: Array.from({ length: 30 }, (_, i) => i + 100), late: [] }, ['on_time'])
  api.on('GET /api/v1/me', street())
  api.on('GET /api/v1/assessments/departments', as.assessment({ departments: [d] }))
  const page = await openPage('pages/assess/departments/departments')
  await tap(page, '#part-4-response')
  expect(text(page.querySelector('#drill'))).toContain('还有 18 项')
  expect(exists(page, '#item-on_time-112')).toBe(false)
  await tap(page, '#buckets', '#more-on_time')
  expect(text(page.querySelector('#drill'))).toContain('事件 112')
  expect(text(page.querySelector('#drill'))).toContain('还有 6 项')
})

test('the street admin sets the weights; the API refuses a sum other than 100 and says why', async () => {
  api.on('GET /api/v1/me', street())
  api.on('GET /api/v1/assessments/departments', as.assessment())
  api.on('PUT /api/v1/assessments/weights', (req) => {
    const sum = Object.values(req.data.weights).reduce((s, n) => s + n, 0)
    if (sum !== 100) return fail(422, 'weights_not_100', '各项权重之和应为100，现为' + sum)
    return { street_id: 1, weights: req.data.weights, parts: as.PARTS }
  })
  const page = await openPage('pages/assess/departments/departments')
  await tap(page, '#edit-weights')
  expect(exists(page, '#weights-form')).toBe(true)
  expect(text(page.querySelector('#weight-sum'))).toContain('合计 100')
  page.instance.onWeight({ currentTarget: { dataset: { code: 'checkin' } }, detail: { value: '25' } })
  await flush()
  expect(text(page.querySelector('#weight-sum'))).toContain('合计 110')
  await tap(page, '#save-weights')
  expect(api.callsTo('PUT /api/v1/assessments/weights')[0].data.weights).toEqual(Object.assign({}, as.WEIGHTS, { checkin: 25 }))
  expect(text(page.querySelector('#weights-error'))).toContain('各项权重之和应为100，现为110')
  expect(exists(page, '#weights-form')).toBe(true)

  page.instance.onWeight({ currentTarget: { dataset: { code: 'satisfaction' } }, detail: { value: '5' } })
  await flush()
  expect(exists(page, '#weights-error')).toBe(false)
  await tap(page, '#save-weights')
  expect(api.callsTo('PUT /api/v1/assessments/weights')[1].data.weights).toEqual(Object.assign({}, as.WEIGHTS, { checkin: 25, satisfaction: 5 }))
  await flush()
  expect(exists(page, '#weights-form')).toBe(false)
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '权重已保存' }))
  expect(api.callsTo('GET /api/v1/assessments/departments')).toHaveLength(2)
})

test('department staff see their own department only, without the weights', async () => {
  api.on('GET /api/v1/me', staff())
  api.on('GET /api/v1/assessments/departments', as.assessment({ departments: [as.department()] }))
  const page = await openPage('pages/assess/departments/departments')
  expect(exists(page, '#weights')).toBe(false)
  expect(exists(page, '#own-only')).toBe(true)
  expect(exists(page, '#dept-4')).toBe(true)
  expect(api.callsTo('GET /api/v1/assessments/departments')[0].query.department_id).toBeUndefined()
})

test('the year tabs reload; a failure is shown as an error with 重新加载', async () => {
  api.on('GET /api/v1/me', street())
  api.on('GET /api/v1/assessments/departments', fail(500, 'internal', '服务器暂时出了问题'))
  const page = await openPage('pages/assess/departments/departments')
  expect(exists(page, '#dept-4')).toBe(false)
  expect(text(page)).toContain('服务器暂时出了问题')
  api.on('GET /api/v1/assessments/departments', as.assessment())
  await retry(page)
  expect(exists(page, '#dept-4')).toBe(true)
  const y = page.instance.data.years[1].value
  page.instance.onYear({ detail: { value: y } })
  await flush()
  const calls = api.callsTo('GET /api/v1/assessments/departments')
  expect(String(calls[calls.length - 1].query.year)).toBe(y)
})
