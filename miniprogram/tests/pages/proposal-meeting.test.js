// 议事日: the coming deliberation day of the community, its nine steps from the API, the agenda,
// self check-in, and for the runner the outcomes and closing with minutes (409 undecided_items
// said in words, with the items that are left).
const { setup, openPage, text, tap, retry, event, exists } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')
const fx = require('../helpers/proposals')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.me())
})

const past = fx.meeting({ id: 2, date: '2026-11-10', status: 'closed', status_label: '已结束', minutes: '议定3项', actions: [] })

test('a resident sees the coming deliberation day, its nine steps and agenda, and checks in', async () => {
  api.on('GET /api/v1/meetings', fixtures.page([fx.meeting(), past]))
  api.on('GET /api/v1/meetings/:id', (call) => (call.params.id === '3' ? fx.meeting() : past))
  api.on('POST /api/v1/meetings/:id/attendance', { added: 1, already: 0, meeting: fx.meeting({ attendance_count: 1 }) })
  const page = await openPage('pages/proposal/meeting/meeting')
  // a resident's community is their compound's: no community_id sent
  expect(api.callsTo('GET /api/v1/meetings')[0].query).toEqual({ limit: '20' })
  expect(api.callsTo('GET /api/v1/meetings/3')).toHaveLength(1)
  let t = text(page)
  expect(t).toContain('12月10日 党群议事日')
  expect(t).toContain('筹备中')
  expect(t).toContain('社区党群服务中心二楼')
  expect(t).toContain('【提案】3号楼加装楼道扶手')
  expect(t).toContain('来源：居民征集')
  const steps = text(page.querySelector('#steps'))
  expect(steps).toMatch(/建立议事组织.*搭建议事平台.*汇总诉求清单.*选定协商议题.*丰富议事形式.*规范议事内容.*筹措项目资金.*跟踪项目实施.*评估反馈效果/)
  expect(text(page.querySelector('#nine-gather'))).toContain('征集议题3项')
  expect(text(page.querySelector('#nine-content'))).toContain('未完成')
  expect(exists(page, '#edit-21')).toBe(false) // not the runner
  expect(exists(page, '#close-box')).toBe(false)

  await tap(page, '#check-in')
  expect(api.callsTo('POST /api/v1/meetings/3/attendance')[0].data).toEqual({})
  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '签到成功', icon: 'success' })
  expect(text(page)).toContain('已签到 1 人')

  // 征集议题 for the next deliberation day
  api.on('POST /api/v1/agenda', (call) => fx.agendaItem({ id: 30, text: call.data.text, status: 'proposed', meeting_id: null, meeting_date: '2027-01-10' }))
  await tap(page, '#raise-topic')
  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '请写下您想议的事', icon: 'none' })
  page.instance.onField(event({ field: 'topic' }, { value: '小区南门装充电桩' }))
  await tap(page, '#raise-topic')
  expect(api.callsTo('POST /api/v1/agenda')[0].data).toEqual({ text: '小区南门装充电桩', community_id: 1 })
  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '已提交，1月10日议事日前由党支部把关', icon: 'none' })

  // the past one, with its minutes
  await tap(page, '#meeting-2')
  t = text(page)
  expect(t).toContain('会议纪要')
  expect(t).toContain('议定3项')
  expect(t).toContain('会议已结束')
})

test('the runner records outcomes; closing with an undecided item is refused in words', async () => {
  api.on('GET /api/v1/me', fixtures.me({ roles: ['community_admin'], grants: [{ role: 'community_admin', scope_type: 'community', scope_id: 1 }] }))
  const runner = (o) => fx.meeting(Object.assign({ actions: ['check_in', 'add_items', 'attendance', 'outcome', 'close'] }, o))
  const decided = fx.agendaItem({ status: 'decided', outcome: 'adopted', outcome_label: '通过', votes_for: 12, votes_against: 1, abstained: 2, outcome_note: '先在3号楼试点', follow_up: { kind: 'plan', owner: '物业公司' } })
  api.on('GET /api/v1/meetings', fixtures.page([runner()]))
  api.on('GET /api/v1/meetings/:id', runner())
  api.on('POST /api/v1/meetings/:id/items/:item/outcome', runner({ items: [decided, fx.agendaItem({ id: 22, text: '小区南门电动车充电桩' })] }))
  api.on('POST /api/v1/meetings/:id/close', fail(409, 'undecided_items', '还有1项议题没有议定结果，不能结束会议'))
  const page = await openPage('pages/proposal/meeting/meeting')
  expect(api.callsTo('GET /api/v1/meetings')[0].query).toEqual({ community_id: '1', limit: '20' })

  await tap(page, '#edit-21')
  await tap(page, '#save-outcome')
  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '请选择议定结果', icon: 'none' })
  await tap(page, '#decision-adopted')
  page.instance.onField(event({ field: 'votesFor' }, { value: '12' }))
  page.instance.onField(event({ field: 'votesAgainst' }, { value: '1' }))
  page.instance.onField(event({ field: 'abstained' }, { value: '2' }))
  page.instance.onField(event({ field: 'owner' }, { value: '物业公司' }))
  page.instance.onField(event({ field: 'note' }, { value: '先在3号楼试点' }))
  await tap(page, '#save-outcome')
  expect(api.callsTo('POST /api/v1/meetings/3/items/21/outcome')[0].data).toEqual({
    decision: 'adopted',
    votes_for: 12,
    votes_against: 1,
    abstained: 2,
    note: '先在3号楼试点',
    follow_up: { kind: 'plan', owner: '物业公司' },
  })
  let t = text(page.querySelector('#item-21'))
  expect(t).toContain('表决通过')
  expect(t).toContain('赞成 12，反对 1，弃权 2')
  expect(t).toContain('承办：物业公司')

  // the other item becomes a wish: the server makes it and links it back
  api.on('POST /api/v1/meetings/:id/items/:item/outcome', runner({ items: [decided, fx.agendaItem({ id: 22, text: '小区南门电动车充电桩', status: 'decided', outcome: 'adopted', follow_up: { kind: 'wish', ref_id: 41 } })] }))
  await tap(page, '#edit-22')
  await tap(page, '#decision-adopted')
  await tap(page, '#follow-wish')
  await tap(page, '#save-outcome')
  expect(api.callsTo('POST /api/v1/meetings/3/items/22/outcome')[0].data).toEqual({
    decision: 'adopted',
    votes_for: null,
    votes_against: null,
    abstained: null,
    note: null,
    follow_up: { kind: 'wish' },
  })
  expect(text(page.querySelector('#item-22'))).toContain('已转为心愿（编号 41）')
  api.on('POST /api/v1/meetings/:id/items/:item/outcome', runner({ items: [decided, fx.agendaItem({ id: 22, text: '小区南门电动车充电桩' })] }))
  page.instance.show(runner({ items: [decided, fx.agendaItem({ id: 22, text: '小区南门电动车充电桩' })] }))

  await tap(page, '#close')
  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '请填写会议纪要', icon: 'none' })
  page.instance.onField(event({ field: 'minutes' }, { value: '议定扶手一项' }))
  await tap(page, '#close')
  expect(api.callsTo('POST /api/v1/meetings/3/close')[0].data).toEqual({ minutes: '议定扶手一项' })
  t = text(page.querySelector('#close-error'))
  expect(t).toContain('还有1项议题没有议定结果，不能结束会议')
  expect(t).toContain('「小区南门电动车充电桩」')
  expect(t).not.toContain('扶手」')
})

test('no meeting yet is an empty state; a failure is an error with retry', async () => {
  api.on('GET /api/v1/meetings', fixtures.page([]))
  let page = await openPage('pages/proposal/meeting/meeting')
  expect(text(page)).toContain('社区还没有安排议事日')
  api.on('GET /api/v1/meetings', fail(403, 'out_of_scope', '您不在这个社区'))
  page = await openPage('pages/proposal/meeting/meeting')
  expect(text(page)).toContain('您不在这个社区')
  api.on('GET /api/v1/meetings', fixtures.page([fx.meeting()]))
  api.on('GET /api/v1/meetings/:id', fx.meeting())
  await retry(page)
  expect(text(page)).toContain('党群议事日')
})
