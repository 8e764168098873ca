// 小区评议会 (pages/project/appraisal): a checked-in attendee rates each line once with 1–5 stars
// (a reason for 1–2, checked before anything is sent), lines already rated shown done, a second
// rating's 409 said in words; checking in from the page; the branch submitting, resubmitting after a
// return and correcting published results with a reason; the community admin's approve / return
// (a reason required); the newest evaluation meeting found without an id; the error state; and the
// entry from the deliberation-day page.
const { setup, openPage, text, tap, retry, event, exists } = require('../helpers/page')
const { fail, NETWORK_DOWN } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')
const ax = require('../helpers/appraisals')

let wx, api

const branchMe = () => fixtures.dispatcherMe()
const adminMe = () =>
  fixtures.me({ id: 8, name: '周海', roles: ['resident', 'community_admin'], grants: [{ role: 'community_admin', scope_type: 'community', scope_id: 1 }] })

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.me())
  api.on('GET /api/v1/meetings/9', ax.meeting())
  api.on('GET /api/v1/meetings/9/sheet', ax.sheet())
  api.on('GET /api/v1/appraisals', fixtures.page([]))
})

const lineText = (page, key) => text(page.querySelector('#line-' + key))

test('a checked-in resident rates lines with stars; a 1–2 needs a reason before anything is sent', async () => {
  const page = await openPage('pages/project/appraisal/appraisal', { id: '9' })
  let t = text(page)
  expect(t).toContain('锦华苑 2026年第三季度评议会')
  expect(t).toContain('项目（2 项）')
  expect(t).toContain('党员（1 项）')
  expect(t).toContain('业委会（1 项）')
  expect(t).toContain('物业服务企业（1 项）')
  expect(t).toContain('您已评 0 / 5 项')
  expect(lineText(page, 'member-3')).toContain('完成订单 2 单 · 居民评分 4.5 · 参会 1/3 次')
  expect(lineText(page, 'project-1')).toContain('未评')
  // residents see nothing of the branch's or the community's work
  expect(exists(page, '#branch-box')).toBe(false)
  expect(exists(page, '#review-box')).toBe(false)
  expect(api.callsTo('GET /api/v1/appraisals')).toHaveLength(0)

  // nothing chosen: nothing sent
  await tap(page, '#submit-ratings')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '请先为要评议的项目点选星级' }))

  await tap(page, '#star-project-1-4')
  expect(lineText(page, 'project-1')).toContain('您的评价：4星 · 较好')
  expect(lineText(page, 'project-1')).toContain('待提交')
  expect(exists(page, '#comment-project-1')).toBe(false) // 3–5: no reason asked
  await tap(page, '#star-property-3-2')
  expect(exists(page, '#comment-property-3')).toBe(true)
  expect(text(page.querySelector('.bottom-bar'))).toContain('提交评议（2 项）')

  await tap(page, '#submit-ratings')
  expect(api.callsTo('POST /api/v1/meetings/9/ratings')).toHaveLength(0)
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '「绿茵物业服务有限公司」评了2星，请写明理由' }))
  expect(page.querySelector('#line-property-3').dom.className).toContain('line--missing')
  expect(lineText(page, 'property-3')).toContain('请写明给「绿茵物业服务有限公司」评2星的理由')

  const rated = ax.sheet()
  rated.lines.forEach((l) => (l.rated_by_me = l.line_id === 'project:1' || l.line_id === 'property:3'))
  api.on('POST /api/v1/meetings/9/ratings', { rated: 2, sheet: rated })
  page.instance.onComment(event({ key: 'property-3' }, { value: ' 报修三次才来人 ' }))
  expect(page.querySelector('#line-property-3').dom.className).not.toContain('line--missing')
  await tap(page, '#submit-ratings')
  expect(api.callsTo('POST /api/v1/meetings/9/ratings')[0].data).toEqual({
    ratings: [
      { line_id: 'project:1', score: 4, comment: null },
      { line_id: 'property:3', score: 2, comment: '报修三次才来人' },
    ],
  })
  t = text(page)
  expect(t).toContain('已提交 2 项评议，还有 3 项未评')
  expect(t).toContain('您已评 2 / 5 项')
  // rated once: done, no stars left on those lines
  expect(lineText(page, 'project-1')).toContain('已评议')
  expect(exists(page, '#star-project-1-4')).toBe(false)
  expect(exists(page, '#star-property-3-1')).toBe(false)
  expect(exists(page, '#star-committee-5')).toBe(true)
})

test('a second tap on the chosen star takes it back; lines rated before are done', async () => {
  api.on('GET /api/v1/meetings/9/sheet', ax.sheet({ oneDone: true }))
  const page = await openPage('pages/project/appraisal/appraisal', { id: '9' })
  expect(lineText(page, 'project-4')).toContain('已评议')
  expect(exists(page, '#star-project-4-5')).toBe(false)
  expect(text(page)).toContain('您已评 1 / 5 项')
  await tap(page, '#star-committee-1')
  expect(exists(page, '#comment-committee')).toBe(true)
  await tap(page, '#star-committee-1')
  expect(exists(page, '#comment-committee')).toBe(false)
  expect(lineText(page, 'committee')).toContain('未评')
})

test('a line rated meanwhile (another phone) is refused with 409 and the sheet is shown as it is', async () => {
  const page = await openPage('pages/project/appraisal/appraisal', { id: '9' })
  await tap(page, '#star-committee-5')
  api.on('POST /api/v1/meetings/9/ratings', fail(409, 'already_rated', '您已经评过「锦华苑业主委员会」了，每项只能评一次'))
  const now = ax.sheet()
  now.lines[3].rated_by_me = true
  api.on('GET /api/v1/meetings/9/sheet', now)
  await tap(page, '#submit-ratings')
  expect(text(page.querySelector('#notice'))).toContain('您已经评过「锦华苑业主委员会」了，每项只能评一次')
  expect(lineText(page, 'committee')).toContain('已评议')
  expect(exists(page, '#star-committee-5')).toBe(false)
})

test('a server refusal of a low score without a reason is said in a toast', async () => {
  const page = await openPage('pages/project/appraisal/appraisal', { id: '9' })
  await tap(page, '#star-committee-4')
  api.on('POST /api/v1/meetings/9/ratings', fail(422, 'comment_required', '给「锦华苑业主委员会」评2分时请写明理由'))
  await tap(page, '#submit-ratings')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '给「锦华苑业主委员会」评2分时请写明理由' }))
  expect(lineText(page, 'committee')).toContain('待提交') // the choice stays
})

test('not checked in: sign in on the page while the meeting is on, then rate', async () => {
  api.on('GET /api/v1/meetings/9/sheet', ax.sheet({ checked_in: false, can_rate: false }))
  const page = await openPage('pages/project/appraisal/appraisal', { id: '9' })
  expect(text(page)).toContain('签到后就可以评议')
  expect(exists(page, '#star-committee-3')).toBe(false)
  expect(exists(page, '#submit-ratings')).toBe(false)
  api.on('POST /api/v1/meetings/:id/attendance', { added: 1, already: 0, meeting: ax.meeting({ attendance_count: 7 }) })
  api.on('GET /api/v1/meetings/9/sheet', ax.sheet())
  await tap(page, '#check-in')
  expect(api.callsTo('POST /api/v1/meetings/9/attendance')[0].data).toEqual({})
  expect(text(page)).toContain('已签到 7 人')
  expect(exists(page, '#star-committee-3')).toBe(true)
})

test('a closed meeting: not checked in reads only; checked in after the results were sent, rating is closed', async () => {
  api.on('GET /api/v1/meetings/9', ax.meeting({ status: 'closed', actions: [] }))
  api.on('GET /api/v1/meetings/9/sheet', ax.sheet({ checked_in: false, can_rate: false }))
  let page = await openPage('pages/project/appraisal/appraisal', { id: '9' })
  expect(text(page)).toContain('您没有在本次评议会签到，评议表只能查看')
  expect(exists(page, '#check-in')).toBe(false)
  expect(text(page)).toContain('锦华苑业主委员会')

  api.on('GET /api/v1/meetings/9/sheet', ax.sheet({ can_rate: false }))
  page = await openPage('pages/project/appraisal/appraisal', { id: '9' })
  expect(text(page.querySelector('#closed-box'))).toContain('评议结果已经提交，不能再评议了')
  expect(exists(page, '#submit-ratings')).toBe(false)
})

test('the branch submits the closed meeting, resubmits after a return, corrects with a reason', async () => {
  api.on('GET /api/v1/me', branchMe())
  api.on('GET /api/v1/meetings/9', ax.meeting({ status: 'planned' }))
  let page = await openPage('pages/project/appraisal/appraisal', { id: '9' })
  expect(text(page.querySelector('#branch-box'))).toContain('评议会结束后才能报送评议结果')
  await tap(page, '#open-meeting')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/proposal/meeting/meeting?id=9' })

  api.on('GET /api/v1/meetings/9', ax.meeting({ status: 'closed', actions: [] }))
  page = await openPage('pages/project/appraisal/appraisal', { id: '9' })
  expect(api.callsTo('GET /api/v1/appraisals')[0].query).toEqual({ compound_id: '1', period: '2026-Q3', limit: '20' })
  api.on('POST /api/v1/meetings/9/appraisal/submit', ax.detail())
  await tap(page, '#submit-appraisal')
  expect(api.callsTo('POST /api/v1/meetings/9/appraisal/submit')[0].data).toEqual({ reason: null })
  expect(text(page.querySelector('#branch-box'))).toContain('待社区审核')
  expect(text(page.querySelector('#branch-box'))).toContain('等待社区审核')
  expect(exists(page, '#submit-appraisal')).toBe(false)

  // returned by the community: its reason, and 重新提交审核
  const returned = ax.appraisal({ status: 'returned', status_label: '已退回', review_reason: '请补充物业评价' })
  api.on('GET /api/v1/appraisals', fixtures.page([returned]))
  api.on('GET /api/v1/appraisals/2', ax.detail(returned))
  page = await openPage('pages/project/appraisal/appraisal', { id: '9' })
  expect(text(page.querySelector('#return-reason'))).toContain('社区退回理由：请补充物业评价')
  expect(text(page.querySelector('#branch-box'))).toContain('重新提交审核')
  await tap(page, '#submit-appraisal')
  expect(api.callsTo('POST /api/v1/meetings/9/appraisal/submit').slice(-1)[0].data).toEqual({ reason: null })

  // published: a correction needs its reason
  const published = ax.appraisal({ status: 'published', status_label: '已公示', published_at: '2026-10-10T03:00:00Z' })
  api.on('GET /api/v1/appraisals', fixtures.page([published]))
  api.on('GET /api/v1/appraisals/2', ax.detail(published))
  page = await openPage('pages/project/appraisal/appraisal', { id: '9' })
  expect(text(page.querySelector('#branch-box'))).toContain('已公示')
  const before = api.callsTo('POST /api/v1/meetings/9/appraisal/submit').length
  await tap(page, '#submit-appraisal')
  expect(api.callsTo('POST /api/v1/meetings/9/appraisal/submit')).toHaveLength(before)
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '更正已公示的结果时请写明更正理由' }))
  page.instance.onReason(event({}, { value: '评分录入有误' }))
  api.on('POST /api/v1/meetings/9/appraisal/submit', ax.detail({ id: 3, edition: 2, supersedes_id: 2, correction_reason: '评分录入有误' }))
  await tap(page, '#submit-appraisal')
  expect(api.callsTo('POST /api/v1/meetings/9/appraisal/submit').slice(-1)[0].data).toEqual({ reason: '评分录入有误' })
  expect(text(page.querySelector('#branch-box'))).toContain('第2版（更正）')
})

test('a submission refused (already pending) is said and the results shown as they are', async () => {
  api.on('GET /api/v1/me', branchMe())
  api.on('GET /api/v1/meetings/9', ax.meeting({ status: 'closed', actions: [] }))
  const page = await openPage('pages/project/appraisal/appraisal', { id: '9' })
  api.on('POST /api/v1/meetings/9/appraisal/submit', fail(409, 'appraisal_pending', '评议结果已提交，正在等待社区审核'))
  api.on('GET /api/v1/appraisals', fixtures.page([ax.appraisal()]))
  api.on('GET /api/v1/appraisals/2', ax.detail())
  await tap(page, '#submit-appraisal')
  expect(text(page.querySelector('#notice'))).toContain('评议结果已提交，正在等待社区审核')
  expect(text(page.querySelector('#branch-box'))).toContain('等待社区审核')
})

test('the community admin reviews the submitted results: returning needs a reason; approving publishes', async () => {
  api.on('GET /api/v1/me', adminMe())
  api.on('GET /api/v1/meetings/9', ax.meeting({ status: 'closed', actions: [] }))
  api.on('GET /api/v1/appraisals', fixtures.page([ax.appraisal()]))
  api.on('GET /api/v1/appraisals/2', ax.detail())
  const page = await openPage('pages/project/appraisal/appraisal', { id: '9' })
  expect(exists(page, '#branch-box')).toBe(false)
  expect(text(page.querySelector('#review-box'))).toContain('待社区审核')
  expect(text(page.querySelector('#review-summary'))).toContain('签到 6 人，参加评议 6 人')
  const property = text(page.querySelector('#result-property-3'))
  expect(property).toContain('3.8 分')
  expect(property).toContain('6 人评议')
  expect(property).toContain('王**（2星）：本季度回应居民诉求不够及时，希望改进')
  expect(exists(page, '#line-committee')).toBe(false) // the sheet is not repeated under the results

  await tap(page, '#return')
  expect(api.callsTo('POST /api/v1/meetings/9/appraisal/review')).toHaveLength(0)
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '退回时请写明理由' }))
  page.instance.onReason(event({}, { value: '请补充物业评价' }))
  api.on('POST /api/v1/meetings/9/appraisal/review', ax.detail({ status: 'returned', status_label: '已退回', review_reason: '请补充物业评价' }))
  await tap(page, '#return')
  expect(api.callsTo('POST /api/v1/meetings/9/appraisal/review')[0].data).toEqual({ decision: 'return', reason: '请补充物业评价' })
  expect(text(page.querySelector('#review-box'))).toContain('已退回：请补充物业评价')
  expect(exists(page, '#approve')).toBe(false)

  // submitted again, then approved
  api.on('GET /api/v1/appraisals', fixtures.page([ax.appraisal()]))
  await page.instance.loadResults()
  api.on('POST /api/v1/meetings/9/appraisal/review', ax.detail({ status: 'published', status_label: '已公示', published_at: '2026-10-10T03:00:00Z' }))
  await tap(page, '#approve')
  expect(api.callsTo('POST /api/v1/meetings/9/appraisal/review')[1].data).toEqual({ decision: 'approve', reason: null })
  expect(text(page.querySelector('#review-box'))).toContain('已公示')
  await tap(page, '#open-results')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/project/results/results?compound_id=1' })
})

test('without an id: the newest evaluation meeting of the caller\'s compound, chips for the others; none is an empty state', async () => {
  const other = ax.meeting({ id: 7, period: '2026-Q2', date: '2026-07-08', status: 'closed' })
  const plain = ax.meeting({ id: 5, kind: 'deliberation_day', compound_id: null, period: null })
  const elsewhere = ax.meeting({ id: 6, compound_id: 2 })
  api.on('GET /api/v1/meetings', fixtures.page([ax.meeting(), plain, elsewhere, other]))
  api.on('GET /api/v1/meetings/7', other)
  api.on('GET /api/v1/meetings/7/sheet', ax.sheet({ meeting_id: 7, period: '2026-Q2' }))
  let page = await openPage('pages/project/appraisal/appraisal')
  expect(api.callsTo('GET /api/v1/meetings/9/sheet')).toHaveLength(1)
  expect(exists(page, '#meeting-6')).toBe(false)
  expect(exists(page, '#meeting-5')).toBe(false)
  await tap(page, '#meeting-7')
  expect(text(page)).toContain('2026年第二季度评议会')

  api.on('GET /api/v1/meetings', fixtures.page([plain]))
  page = await openPage('pages/project/appraisal/appraisal')
  expect(text(page.querySelector('#empty'))).toContain('还没有召开小区评议会')
})

test('an error state with 重新加载', async () => {
  api.on('GET /api/v1/meetings/9/sheet', NETWORK_DOWN)
  const page = await openPage('pages/project/appraisal/appraisal', { id: '9' })
  expect(text(page.querySelector('#state'))).toContain('重新加载')
  api.on('GET /api/v1/meetings/9/sheet', ax.sheet())
  await retry(page)
  expect(text(page)).toContain('锦华苑业主委员会')
})

test('the deliberation-day page of an evaluation meeting opens its sheet', async () => {
  const page = await openPage('pages/proposal/meeting/meeting', { id: '9' })
  expect(text(page.querySelector('#appraisal-box'))).toContain('小区评议会')
  await tap(page, '#open-appraisal')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/project/appraisal/appraisal?id=9' })
  api.on('GET /api/v1/meetings/3', require('../helpers/proposals').meeting())
  const plain = await openPage('pages/proposal/meeting/meeting', { id: '3' })
  expect(exists(plain, '#appraisal-box')).toBe(false)
})
