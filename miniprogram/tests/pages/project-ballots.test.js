// 测评: my open ballots, answering one (1–5 per question on large targets, a comment), every score
// question required, the submitted state, and the 409 of a second ballot from the household in words.
const { setup, openPage, text, tap, retry, exists } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')
const pj = require('../helpers/projects')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.me())
  api.on('GET /api/v1/evaluations/ballots', [pj.ballot(), pj.ballot({ campaign_id: 5, title: '2026年第四季度小区评社区', level: 'compounds_rate_community', level_label: '小区评社区', target_id: 1, target_name: '和谐社区两委' })])
})

test('my open ballots, each with its target, level, questions and closing time in words', async () => {
  const page = await openPage('pages/project/ballots/ballots')
  const first = text(page.querySelector('#ballot-4-1'))
  expect(first).toContain('锦华苑党支部')
  expect(first).toContain('待测评')
  expect(first).toContain('3 道题')
  expect(first).toMatch(/截止 \d+月\d+日 \d\d:\d\d/)
  expect(text(page.querySelector('#ballot-5-1'))).toContain('和谐社区两委')
})

test('answering: every score is required; 1–5 and a comment are sent; then 已测评', async () => {
  api.on('POST /api/v1/evaluations/campaigns/4/ballots', (req) => ({ id: 1, campaign_id: 4, target_id: req.data.target_id, rater: 'household:74', answers: req.data.answers, created_at: pj.at(0) }))
  const page = await openPage('pages/project/ballots/ballots')
  await tap(page, '#open-4-1')
  expect(text(page.querySelector('#ballot'))).toContain('测评对象：锦华苑党支部')
  await tap(page, '#score-service-4')
  await tap(page, '#submit')
  expect(api.callsTo('POST /api/v1/evaluations/campaigns/4/ballots')).toHaveLength(0)
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '还有 1 道题没有打分' }))
  expect(text(page.querySelector('#question-response'))).toContain('请为这道题打分')
  expect(page.querySelector('#score-service-4').dom.className).toContain('score--on')
  await tap(page, '#score-service-5') // changed one's mind
  await tap(page, '#score-response-3')
  page.instance.onComment({ currentTarget: { dataset: { code: 'comment' } }, detail: { value: ' 希望多组织活动 ' } })
  await tap(page, '#submit')
  expect(api.callsTo('POST /api/v1/evaluations/campaigns/4/ballots')[0].data).toEqual({ target_id: 1, answers: { service: 5, response: 3, comment: '希望多组织活动' } })
  expect(text(page.querySelector('#notice'))).toContain('已提交「锦华苑党支部」的测评')
  expect(text(page.querySelector('#ballot-4-1'))).toContain('已测评')
  expect(exists(page, '#open-4-1')).toBe(false)
  // a refresh (the server no longer lists it) keeps the submitted one shown
  api.on('GET /api/v1/evaluations/ballots', [pj.ballot({ campaign_id: 5, target_name: '和谐社区两委' })])
  await page.instance.onPullDownRefresh()
  expect(text(page.querySelector('#ballot-4-1'))).toContain('已测评')
})

test('a second ballot from the household: the 409 said in words, not as a failure', async () => {
  api.on('POST /api/v1/evaluations/campaigns/4/ballots', fail(409, 'already_voted', '您家已参加本次测评，每户只能投一票'))
  const page = await openPage('pages/project/ballots/ballots')
  await tap(page, '#open-4-1')
  await tap(page, '#score-service-2')
  await tap(page, '#score-response-2')
  await tap(page, '#submit')
  expect(text(page.querySelector('#notice'))).toContain('您家已经有人提交过「锦华苑党支部」的测评，每户只算一票')
  expect(text(page.querySelector('#ballot-4-1'))).toContain('已投过票')
  expect(exists(page, '#open-4-1')).toBe(false)
})

test('a compound rating its community: the 409 names the compound, not the household', async () => {
  api.on('POST /api/v1/evaluations/campaigns/5/ballots', fail(409, 'already_voted', '本小区已参加本次测评'))
  const page = await openPage('pages/project/ballots/ballots')
  await tap(page, '#open-5-1')
  await tap(page, '#score-service-3')
  await tap(page, '#score-response-3')
  await tap(page, '#submit')
  expect(text(page.querySelector('#notice'))).toContain('本小区已经有人代表小区提交过「和谐社区两委」的测评，每个小区只算一票')
  expect(text(page.querySelector('#ballot-5-1'))).toContain('已投过票')
})

test('a campaign that closed meanwhile: the server words, the answers kept', async () => {
  api.on('POST /api/v1/evaluations/campaigns/4/ballots', fail(409, 'campaign_not_open', '不在本次测评的开放时间内'))
  const page = await openPage('pages/project/ballots/ballots')
  await tap(page, '#open-4-1')
  await tap(page, '#score-service-2')
  await tap(page, '#score-response-2')
  await tap(page, '#submit')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '不在本次测评的开放时间内' }))
  expect(exists(page, '#ballot')).toBe(true)
  expect(page.instance.data.answers).toMatchObject({ service: 2, response: 2 })
})

test('nothing to rate; an error is not "nothing"', async () => {
  api.on('GET /api/v1/evaluations/ballots', fail(503, 'unavailable', '服务器暂时忙'))
  const page = await openPage('pages/project/ballots/ballots')
  expect(text(page)).toContain('服务器暂时忙')
  expect(text(page)).not.toContain('现在没有需要您参加的测评')
  api.on('GET /api/v1/evaluations/ballots', [])
  await retry(page)
  expect(text(page.querySelector('#empty'))).toContain('现在没有需要您参加的测评')
})
