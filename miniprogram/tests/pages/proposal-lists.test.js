// 我的提案 (mine=true) and 提案公示 (published and closed): keyset pages, empty and error states.
const { setup, openPage, text, tap, retry } = require('../helpers/page')
const { fail, NETWORK_DOWN } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')
const fx = require('../helpers/proposals')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
})

test('我的提案: my proposals with their status and steps, the next page on scrolling, 我要提案', async () => {
  api.on('GET /api/v1/proposals', (call) =>
    call.query.cursor
      ? fixtures.page([fx.summary({ id: 5, title: '南门加装充电桩', status: 'closed', steps_done: 6 })])
      : fixtures.page([fx.summary(), fx.summary({ id: 6, kind: 'joint', status: 'cosigning', cosign_count: 3, title: '楼道扶手' })], '6')
  )
  const page = await openPage('pages/proposal/mine/mine')
  expect(api.callsTo('GET /api/v1/proposals')[0].query).toEqual({ mine: 'true', limit: '20' })
  let t = text(page)
  expect(t).toContain('3号楼加装楼道扶手')
  expect(t).toContain('草稿')
  expect(t).toContain('联名征集中')
  expect(t).toContain('联名 3 户')
  expect(t).toContain('六步闭环 0/6')
  await page.instance.onReachBottom()
  expect(api.callsTo('GET /api/v1/proposals')[1].query).toEqual({ mine: 'true', cursor: '6', limit: '20' })
  t = text(page)
  expect(t).toContain('南门加装充电桩')
  expect(t).toContain('已办结')
  expect(t).toContain('六步闭环 6/6')
  await tap(page, '#proposal-6')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/proposal/detail/detail?id=6' })
  await tap(page, '#new')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/proposal/new/new' })
})

test('我的提案: empty, and an error that is not "empty"', async () => {
  api.on('GET /api/v1/proposals', fixtures.page([]))
  let page = await openPage('pages/proposal/mine/mine')
  expect(text(page)).toContain('还没有提案')
  api.on('GET /api/v1/proposals', fail(500, 'internal', '服务器开小差了'))
  page = await openPage('pages/proposal/mine/mine')
  expect(text(page)).toContain('服务器暂时出了问题')
  expect(text(page)).not.toContain('还没有提案')
  api.on('GET /api/v1/proposals', fixtures.page([fx.summary()]))
  await retry(page, '#list-state')
  expect(text(page)).toContain('3号楼加装楼道扶手')
})

test('提案公示: the published and closed ones, proposer as the API masks them', async () => {
  api.on('GET /api/v1/proposals', fixtures.page([
    fx.summary({ id: 4, status: 'published', proposer_name: '王*兰', kind: 'joint', cosign_count: 6, steps_done: 5 }),
    fx.summary({ id: 3, status: 'closed', proposer_name: '李*', title: '小区健身角更换器材', steps_done: 6 }),
  ]))
  const page = await openPage('pages/proposal/board/board')
  expect(api.callsTo('GET /api/v1/proposals')[0].query).toEqual({ status: 'published,closed', limit: '20' })
  const t = text(page)
  expect(t).toContain('公示中')
  expect(t).toContain('已办结')
  expect(t).toContain('提案人 王*兰')
  expect(t).toContain('6 户联名')
  await tap(page, '#proposal-3')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/proposal/detail/detail?id=3' })
})

test('提案公示: empty, and the network failing', async () => {
  api.on('GET /api/v1/proposals', fixtures.page([]))
  let page = await openPage('pages/proposal/board/board')
  expect(text(page)).toContain('还没有公示的提案')
  api.on('GET /api/v1/proposals', NETWORK_DOWN)
  page = await openPage('pages/proposal/board/board')
  expect(text(page)).toContain('连不上服务器')
})
