// 我的心愿: keyset pages, pull-to-refresh, infinite scroll, filters, and the list states.
const { setup, openPage, text, tap, flush, selectTab, retry } = require('../helpers/page')
const { fail, NETWORK_DOWN } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.me())
})

function pages(byCursor) {
  return (req) => byCursor[req.query.cursor || 'first']
}

test('renders my wishes with status and Beijing time', async () => {
  api.on('GET /api/v1/wishes', fixtures.page([
    fixtures.wish({ id: 9, title: '厨房水龙头漏水', status: 'pending_review', category_label: '维修', created_at: '2026-11-19T16:34:03Z' }),
    fixtures.wish({ id: 8, title: '陪同去医院复查', status: 'closed' }),
  ]))
  const page = await openPage('pages/wish/mine/mine')
  const t = text(page)
  expect(t).toContain('厨房水龙头漏水')
  expect(t).toContain('待审核')
  expect(t).toContain('已完成')
  expect(t).toContain('11月20日 00:34') // 16:34 UTC is 00:34 the next day in Shanghai
  expect(t).toContain('没有更多了')
  expect(api.callsTo('GET /api/v1/wishes')[0].query).toMatchObject({ mine: 'true', limit: '20' })
})

test('scrolls to the next keyset page, then stops at the end', async () => {
  api.on('GET /api/v1/wishes', pages({
    first: fixtures.page([fixtures.wish({ id: 9, title: '第一页' })], '9'),
    9: fixtures.page([fixtures.wish({ id: 4, title: '第二页' })], null),
  }))
  const page = await openPage('pages/wish/mine/mine')
  expect(text(page)).toContain('第一页')
  expect(text(page)).not.toContain('没有更多了')

  await page.instance.onReachBottom()
  await flush()
  expect(text(page)).toContain('第二页')
  expect(text(page)).toContain('没有更多了')
  expect(api.callsTo('GET /api/v1/wishes')[1].query.cursor).toBe('9')

  await page.instance.onReachBottom() // finished: no more requests
  expect(api.callsTo('GET /api/v1/wishes')).toHaveLength(2)
})

test('a failed next page keeps the list and offers a retry', async () => {
  let fails = true
  api.on('GET /api/v1/wishes', (req) => {
    if (!req.query.cursor) return fixtures.page([fixtures.wish({ id: 9, title: '第一页' })], '9')
    return fails ? fail(500, 'internal_error', '服务器内部错误，请稍后再试') : fixtures.page([fixtures.wish({ id: 4, title: '第二页' })])
  })
  const page = await openPage('pages/wish/mine/mine')
  await page.instance.onReachBottom()
  await flush()
  expect(text(page)).toContain('第一页')
  expect(text(page)).toContain('服务器内部错误，请稍后再试重新加载')
  fails = false
  await page.instance.onRetryMore()
  await flush()
  expect(text(page)).toContain('第二页')
})

test('pull-to-refresh reloads the first page and stops the spinner', async () => {
  let title = '旧标题'
  api.on('GET /api/v1/wishes', () => fixtures.page([fixtures.wish({ id: 9, title })]))
  const page = await openPage('pages/wish/mine/mine')
  title = '新标题'
  await page.instance.onPullDownRefresh()
  await flush()
  expect(text(page)).toContain('新标题')
  expect(text(page)).not.toContain('旧标题')
  expect(wx.stopPullDownRefresh).toHaveBeenCalled()
})

test('filters by status', async () => {
  api.on('GET /api/v1/wishes', (req) =>
    fixtures.page(req.query.status === 'completed' ? [fixtures.wish({ id: 3, title: '等我确认', status: 'completed' })] : [])
  )
  const page = await openPage('pages/wish/mine/mine')
  await selectTab(page, '#filters', '待确认')
  expect(api.callsTo('GET /api/v1/wishes').pop().query.status).toBe('completed')
  expect(text(page)).toContain('等我确认')
})

test('empty state invites to place a wish; the button opens 我要许愿', async () => {
  api.on('GET /api/v1/wishes', fixtures.page([]))
  const page = await openPage('pages/wish/mine/mine')
  expect(text(page)).toContain('还没有心愿')
  await tap(page, '#new')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/wish/new/new' })
})

test('opens the detail as the requester', async () => {
  api.on('GET /api/v1/wishes', fixtures.page([fixtures.wish({ id: 9 })]))
  const page = await openPage('pages/wish/mine/mine')
  await tap(page, '#wish-9')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/wish/detail/detail?id=9&as=mine' })
})

test('error state (network down twice) with a retry', async () => {
  api.on('GET /api/v1/wishes', NETWORK_DOWN)
  const page = await openPage('pages/wish/mine/mine')
  await flush(20) // the GET is retried once after a short pause
  await new Promise((r) => setTimeout(r, 450))
  await flush()
  expect(text(page)).toContain('网络连接失败，请检查网络后重试')
  expect(text(page)).toContain('重新加载')
  api.on('GET /api/v1/wishes', fixtures.page([fixtures.wish({ id: 9, title: '回来了' })]))
  expect(page.data.errorKind).toBe('network')
  expect(text(page)).toContain('连不上服务器')
  await retry(page, '#list-state')
  await flush()
  expect(text(page)).toContain('回来了')
})
