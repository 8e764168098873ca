// 住户台账: households by building and unit, care tags, filters, keyset pages.
const { setup, openPage, text, tap, flush, retry } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

const h = (id, building, unit, room, extra = {}) =>
  fixtures.household(Object.assign({ id, building_id: building, unit_id: building * 10 + unit, room, label: building + '号楼' + unit + '单元' + room, care_tags: [] }, extra))

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/households/care-tags', {
    items: [{ tag: '独居老人', cycle_days: 7 }, { tag: '高龄', cycle_days: 14 }, { tag: '低保', cycle_days: null }],
    default_cycle_days: 30,
  })
})

test('groups the households under their building and unit, with care tags; pages on next_cursor', async () => {
  api.on('GET /api/v1/households', fixtures.page([
    h(1, 1, 1, '101', { care_tags: ['独居老人', '低保'] }),
    h(2, 1, 1, '102'),
    h(13, 1, 2, '101'),
  ], '13'))
  const page = await openPage('pages/grid/households/households')
  const t = text(page)
  expect(t).toContain('1号楼1单元')
  expect(t).toContain('1号楼2单元')
  expect(t).toContain('101 室')
  expect(t).toContain('独居老人')
  expect(page.data.items.map((x) => x.header)).toEqual(['1号楼1单元', '', '1号楼2单元'])
  expect(t).toContain('孙福生（本人）')

  api.on('GET /api/v1/households', fixtures.page([h(14, 1, 2, '102'), h(25, 2, 1, '101')]))
  await page.instance.onReachBottom()
  await flush()
  expect(api.callsTo('GET /api/v1/households')[1].query).toMatchObject({ cursor: '13', limit: '30' })
  // the unit that went on over the page break gets no second header
  expect(page.data.items.map((x) => x.header)).toEqual(['1号楼1单元', '', '1号楼2单元', '', '2号楼1单元'])
  expect(text(page)).toContain('没有更多了')
  expect(page.data.buildings).toEqual([{ id: 1, name: '1号楼' }, { id: 2, name: '2号楼' }])

  await tap(page, '#household-13')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/grid/household/household?id=13' })
})

test('filters by care tag, building and search', async () => {
  api.on('GET /api/v1/households', fixtures.page([h(1, 1, 1, '101'), h(25, 2, 1, '101')]))
  const page = await openPage('pages/grid/households/households')
  await tap(page, '#tag-0')
  expect(api.callsTo('GET /api/v1/households').pop().query).toMatchObject({ tag: '独居老人' })
  await tap(page, '#tag-0') // again: off
  expect(api.callsTo('GET /api/v1/households').pop().query.tag).toBeUndefined()
  await tap(page, '#building-2')
  expect(api.callsTo('GET /api/v1/households').pop().query).toMatchObject({ building_id: '2' })
  page.instance.onQuery({ detail: { value: ' 孙福生 ' } })
  await page.instance.onSearch()
  await flush()
  expect(api.callsTo('GET /api/v1/households').pop().query).toMatchObject({ building_id: '2', q: '孙福生' })
})

test('empty and error states', async () => {
  api.on('GET /api/v1/households', fail(403, 'role_required', '您没有执行此操作的角色权限'))
  const page = await openPage('pages/grid/households/households')
  expect(text(page)).toContain('您没有执行此操作的角色权限')
  api.on('GET /api/v1/households', fixtures.page([]))
  await retry(page, '#list-state')
  expect(text(page)).toContain('没有符合条件的住户')
})
