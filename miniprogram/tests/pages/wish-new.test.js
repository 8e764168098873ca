// 我要许愿: "需要什么帮助" first, a voice note, the kind of help, photos, the title last and optional.
const { setup, openPage, text, tap, find, flush, retry } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.me())
  api.on('GET /api/v1/wishes/categories', fixtures.categories())
})

test('the form asks what help is needed first; the title comes last and is optional', async () => {
  const page = await openPage('pages/wish/new/new')
  const t = text(page)
  expect(t.indexOf('需要什么帮助')).toBeLessThan(t.indexOf('录一段语音'))
  expect(t.indexOf('录一段语音')).toBeLessThan(t.indexOf('是哪一类帮助'))
  expect(t.indexOf('是哪一类帮助')).toBeLessThan(t.indexOf('自己起个标题'))
  expect(t).not.toContain('心愿标题 *')
})

test('submits a wish with an uploaded photo; the title is made from the first words', async () => {
  api.on('POST /api/v1/uploads', { url: '/uploads/p1.jpg?exp=1&sig=ab', ref: '/uploads/p1.jpg', content_type: 'image/jpeg', size: 1000, kind: 'image', duration_ms: null })
  api.on('POST /api/v1/wishes', (req) => fixtures.wishDetail(Object.assign({ id: 42 }, req.data)))
  const page = await openPage('pages/wish/new/new')
  expect(text(page)).toContain('维修')

  page.instance.onDescription({ detail: { value: '厨房水龙头漏水，关不紧。白天我都在家，晚上滴水声睡不着。' } })
  await tap(page, '#cat-repair')
  await tap(page, '#photos', '#pp-add')
  await flush()
  expect(wx.chooseMedia).toHaveBeenCalledWith(expect.objectContaining({ count: 9, mediaType: ['image'] }))
  expect(wx.uploadFile.mock.calls[0][0]).toMatchObject({ filePath: 'wxfile://tmp/photo-1.jpg', name: 'file' })
  // the server stores the ref (contracts.md §2)
  expect(page.data.photos).toEqual(['/uploads/p1.jpg'])

  await tap(page, '#submit')
  expect(api.callsTo('POST /api/v1/wishes')[0].data).toEqual({
    title: '厨房水龙头漏水，关不紧',
    category: 'repair',
    description: '厨房水龙头漏水，关不紧。白天我都在家，晚上滴水声睡不着。',
    photos: ['/uploads/p1.jpg'],
  })
  expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/wish/detail/detail?id=42&as=mine' })
})

test('a title of its own, and no category chosen is 其他', async () => {
  api.on('POST /api/v1/wishes', (req) => fixtures.wishDetail(Object.assign({ id: 44 }, req.data)))
  const page = await openPage('pages/wish/new/new')
  await tap(page, '#show-title')
  page.instance.onTitle({ detail: { value: ' 修水管 ' } })
  page.instance.onDescription({ detail: { value: '卫生间的水管接头在渗水' } })
  await tap(page, '#submit')
  expect(api.callsTo('POST /api/v1/wishes')[0].data).toMatchObject({ title: '修水管', category: 'other' })
})

test('a long first sentence makes a 20-character title', async () => {
  const { titleFrom } = require('../../utils/format')
  expect(titleFrom('想请人每周二下午陪我去社区医院取降压药顺便量一下血压谢谢')).toBe('想请人每周二下午陪我去社区医院取降压药顺')
  expect(titleFrom('  \n ')).toBe('')
  expect(titleFrom('水龙头坏了！能修吗')).toBe('水龙头坏了')
})

test('says what is missing when nothing was said', async () => {
  const page = await openPage('pages/wish/new/new')
  await tap(page, '#submit')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '请说说需要什么帮助（打字或录语音都行）' }))
  expect(api.callsTo('POST /api/v1/wishes')).toHaveLength(0)
})

test('voice note: record up to 60 s, listen, upload like a photo, and send it with the wish', async () => {
  api.on('POST /api/v1/uploads', (req) => ({ url: '/uploads/v1.mp3?exp=1&sig=cd', ref: '/uploads/v1.mp3', content_type: 'audio/mpeg', size: 24000, kind: 'audio', duration_ms: 12000 }))
  api.on('POST /api/v1/wishes', (req) => fixtures.wishDetail(Object.assign({ id: 45 }, req.data)))
  const page = await openPage('pages/wish/new/new')

  await tap(page, '#voice', '#vn-start')
  await flush()
  expect(wx.authorize).toHaveBeenCalledWith(expect.objectContaining({ scope: 'scope.record' }))
  expect(wx.__recorder.start).toHaveBeenCalledWith(expect.objectContaining({ duration: 60000, format: 'mp3' }))
  expect(text(find(page, '#voice'))).toContain('正在录音')

  wx.__recorder.__duration = 12300
  await tap(page, '#voice', '#vn-stop')
  await flush(10)
  expect(wx.uploadFile.mock.calls[0][0]).toMatchObject({ filePath: 'wxfile://tmp/voice-1.mp3', name: 'file' })
  expect(text(find(page, '#voice'))).toContain('语音已录好')
  expect(text(find(page, '#voice'))).toContain('12″')
  expect(page.data.voice).toBe('/uploads/v1.mp3')

  await tap(page, '#voice', '#vn-play')
  expect(wx.createInnerAudioContext).toHaveBeenCalled()

  // only the voice, no words: a title is still sent (older servers require one)
  await tap(page, '#cat-repair')
  await tap(page, '#submit')
  expect(api.callsTo('POST /api/v1/wishes')[0].data).toEqual({
    title: '语音心愿：维修',
    category: 'repair',
    description: '',
    photos: [],
    voice: '/uploads/v1.mp3',
    voice_seconds: 12,
  })
})

test('voice note: the recorder stops itself at 60 s', async () => {
  api.on('POST /api/v1/uploads', { url: '/uploads/v2.mp3', ref: '/uploads/v2.mp3', kind: 'audio', duration_ms: 60000 })
  const page = await openPage('pages/wish/new/new')
  await tap(page, '#voice', '#vn-start')
  await flush()
  wx.__recorder.__finish(60000)
  await flush(10)
  expect(page.data.voiceSeconds).toBe(60)
  expect(page.data.voice).toBe('/uploads/v2.mp3')
})

test('voice note: too short is thrown away; a failed upload blocks the submit until retried; delete clears it', async () => {
  let ok = false
  api.on('POST /api/v1/uploads', () => (ok ? { url: '/uploads/v3.mp3', ref: '/uploads/v3.mp3', kind: 'audio' } : fail(413, 'file_too_large', '语音不能超过 2 MB')))
  const page = await openPage('pages/wish/new/new')
  await tap(page, '#voice', '#vn-start')
  await flush()
  wx.__recorder.__finish(400)
  await flush(10)
  expect(text(find(page, '#voice'))).toContain('说话时间太短')
  expect(wx.uploadFile).not.toHaveBeenCalled()

  await tap(page, '#voice', '#vn-start')
  await flush()
  wx.__recorder.__finish(8000)
  await flush(10)
  expect(text(find(page, '#voice'))).toContain('上传失败，重试')
  page.instance.onDescription({ detail: { value: '帮忙换灯泡' } })
  await tap(page, '#submit')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '语音上传失败，请重试或删除' }))

  ok = true
  await tap(page, '#voice', '#vn-retry')
  await flush()
  expect(page.data.voice).toBe('/uploads/v3.mp3')
  await tap(page, '#voice', '#vn-delete')
  expect(page.data.voice).toBe('')
  expect(page.data.voiceSeconds).toBe(0)
})

test('voice note: no microphone permission says how to allow it', async () => {
  wx.authorize.mockImplementation((opts) => setTimeout(() => opts.fail({ errMsg: 'authorize:fail auth deny' }), 0))
  const page = await openPage('pages/wish/new/new')
  await tap(page, '#voice', '#vn-start')
  await flush()
  expect(wx.__recorder.start).not.toHaveBeenCalled()
  expect(text(find(page, '#voice'))).toContain('请在设置中允许使用麦克风')
})

test('a failed photo upload blocks the submit until retried', async () => {
  let ok = false
  api.on('POST /api/v1/uploads', () => (ok ? { url: '/uploads/p2.jpg' } : fail(413, 'file_too_large', '图片不能超过 5 MB')))
  api.on('POST /api/v1/wishes', fixtures.wishDetail({ id: 43 }))
  const page = await openPage('pages/wish/new/new')
  page.instance.onDescription({ detail: { value: '修水管' } })
  await tap(page, '#photos', '#pp-add')
  await flush()
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '图片不能超过 5 MB' }))
  expect(text(page)).toContain('上传失败 点此重试')
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
  await retry(page)
  expect(text(page)).toContain('提交心愿')

  api.on('POST /api/v1/wishes', fail(422, 'invalid_input', '请求内容有误 — title: 太长'))
  page.instance.onDescription({ detail: { value: '修水管' } })
  await tap(page, '#cat-repair')
  await tap(page, '#submit')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '请求内容有误 — title: 太长' }))
  expect(wx.redirectTo).not.toHaveBeenCalled()
  expect(page.data.description).toBe('修水管')
})
