// 提交完成情况: note + photos → POST /api/v1/wishes/{id}/complete.
const { setup, openPage, text, tap, flush } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.memberMe())
  api.on('GET /api/v1/wishes/7', fixtures.wishDetail({ id: 7, title: '厨房水龙头漏水', status: 'accepted' }))
})

test('reports completion with a note and a photo', async () => {
  api.on('POST /api/v1/uploads', { url: '/uploads/done.jpg' })
  api.on('POST /api/v1/wishes/7/complete', fixtures.wishDetail({ id: 7, status: 'completed' }))
  const page = await openPage('pages/member/complete/complete', { id: '7' })
  expect(text(page)).toContain('厨房水龙头漏水')
  expect(text(page)).toContain('4号楼1单元102')
  page.instance.onNote({ detail: { value: '换了阀芯，不漏了' } })
  await tap(page, '#photos', '#pp-add')
  await flush()
  await tap(page, '#submit')
  expect(api.callsTo('POST /api/v1/wishes/7/complete')[0].data).toEqual({ note: '换了阀芯，不漏了', photos: ['/uploads/done.jpg'] })
  expect(wx.navigateBack).toHaveBeenCalled()
})

test('a note is required', async () => {
  const page = await openPage('pages/member/complete/complete', { id: '7' })
  await tap(page, '#submit')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '请写一下完成情况' }))
  expect(api.callsTo('POST /api/v1/wishes/7/complete')).toHaveLength(0)
})

test('error states: the wish cannot load; the server refuses the completion', async () => {
  api.on('GET /api/v1/wishes/7', fail(403, 'out_of_scope', '您无权查看这条心愿'))
  let page = await openPage('pages/member/complete/complete', { id: '7' })
  expect(text(page)).toContain('您无权查看这条心愿')

  api.on('GET /api/v1/wishes/7', fixtures.wishDetail({ id: 7, status: 'accepted' }))
  api.on('POST /api/v1/wishes/7/complete', fail(409, 'invalid_state', '心愿当前状态为「已取消」，不能提交完成'))
  page = await openPage('pages/member/complete/complete', { id: '7' })
  page.instance.onNote({ detail: { value: '做完了' } })
  await tap(page, '#submit')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '心愿当前状态为「已取消」，不能提交完成' }))
  expect(wx.navigateBack).not.toHaveBeenCalled()
})
