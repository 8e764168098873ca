// 我要点单: the form, photos through wx.chooseMedia + /api/v1/uploads, submit.
const { setup, openPage, text, tap, find, flush } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.me())
  api.on('GET /api/v1/wishes/categories', fixtures.categories())
})

test('renders the categories and submits a wish with an uploaded photo', async () => {
  api.on('POST /api/v1/uploads', { url: '/uploads/p1.jpg', content_type: 'image/jpeg', size: 1000 })
  api.on('POST /api/v1/wishes', (req) => fixtures.wishDetail(Object.assign({ id: 42 }, req.data)))
  const page = await openPage('pages/wish/new/new')
  expect(text(page)).toContain('维修')

  page.instance.onTitle({ detail: { value: ' 厨房水龙头漏水 ' } })
  page.instance.onDescription({ detail: { value: '关不紧，一直滴水' } })
  await tap(page, '#cat-repair')
  await tap(page, '#photos', '#pp-add')
  await flush()
  expect(wx.chooseMedia).toHaveBeenCalledWith(expect.objectContaining({ count: 9, mediaType: ['image'] }))
  expect(wx.uploadFile.mock.calls[0][0]).toMatchObject({ filePath: 'wxfile://tmp/photo-1.jpg', name: 'file' })
  expect(page.data.photos).toEqual(['/uploads/p1.jpg'])

  await tap(page, '#submit')
  expect(api.callsTo('POST /api/v1/wishes')[0].data).toEqual({
    title: '厨房水龙头漏水',
    category: 'repair',
    description: '关不紧，一直滴水',
    photos: ['/uploads/p1.jpg'],
  })
  expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/wish/detail/detail?id=42&as=mine' })
})

test('checks the form before sending', async () => {
  const page = await openPage('pages/wish/new/new')
  await tap(page, '#submit')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '请填写心愿标题' }))
  page.instance.onTitle({ detail: { value: '修水管' } })
  await tap(page, '#submit')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '请选择类别' }))
  expect(api.callsTo('POST /api/v1/wishes')).toHaveLength(0)
})

test('a failed photo upload blocks the submit until retried', async () => {
  let ok = false
  api.on('POST /api/v1/uploads', () => (ok ? { url: '/uploads/p2.jpg' } : fail(413, 'file_too_large', '图片不能超过 5 MB')))
  api.on('POST /api/v1/wishes', fixtures.wishDetail({ id: 43 }))
  const page = await openPage('pages/wish/new/new')
  page.instance.onTitle({ detail: { value: '修水管' } })
  await tap(page, '#cat-repair')
  await tap(page, '#photos', '#pp-add')
  await flush()
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '图片不能超过 5 MB' }))
  expect(text(page)).toContain('上传失败 点击重试')
  await tap(page, '#submit')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '有照片上传失败，请重试或删除' }))

  ok = true
  const picker = find(page, '#photos')
  await picker.instance.onRetry({ currentTarget: { dataset: { index: 0 } } })
  await flush()
  expect(page.data.photos).toEqual(['/uploads/p2.jpg'])
  await tap(page, '#submit')
  expect(api.callsTo('POST /api/v1/wishes')[0].data.photos).toEqual(['/uploads/p2.jpg'])
})

test('a user with no compound is sent to bind first', async () => {
  api.on('GET /api/v1/me', fixtures.newUser())
  await openPage('pages/wish/new/new')
  expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/bind/bind?next=' + encodeURIComponent('/pages/wish/new/new') })
})

test('error state when the categories cannot load; a refused submit keeps the form', async () => {
  api.on('GET /api/v1/wishes/categories', fail(500, 'internal_error', '服务器内部错误，请稍后再试'))
  const page = await openPage('pages/wish/new/new')
  expect(text(page)).toContain('服务器内部错误，请稍后再试')
  api.on('GET /api/v1/wishes/categories', fixtures.categories())
  await tap(page, '#retry')
  expect(text(page)).toContain('提交心愿')

  api.on('POST /api/v1/wishes', fail(422, 'invalid_input', '请求内容有误 — title: 太长'))
  page.instance.onTitle({ detail: { value: '修水管' } })
  await tap(page, '#cat-repair')
  await tap(page, '#submit')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '请求内容有误 — title: 太长' }))
  expect(wx.redirectTo).not.toHaveBeenCalled()
  expect(page.data.title).toBe('修水管')
})
