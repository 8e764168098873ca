// 心愿详情: timeline and the actions of requester, dispatcher and member.
const { setup, openPage, text, tap, exists, flush, retry, find } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
})

function completedWish(overrides = {}) {
  return fixtures.wishDetail(Object.assign({
    id: 7,
    title: '厨房水龙头漏水',
    status: 'completed',
    photos: ['/uploads/before.jpg'],
    events: [
      fixtures.event('created', '提交心愿', null, 'pending_review', { at: '2026-11-20T01:00:00Z' }),
      fixtures.event('approved', '审核通过', 'pending_review', 'open', { actor_name: '赵敏', at: '2026-11-20T02:00:00Z' }),
      fixtures.event('completed', '党员完成服务', 'accepted', 'completed', { actor_name: '张伟', at: '2026-11-20T15:30:00Z', note: '换了阀芯' }),
    ],
    order: fixtures.order({ status: 'completed', status_label: '已完成', completion_note: '换了阀芯，不漏了', photos: ['/uploads/after.jpg'] }),
  }, overrides))
}

test('the requester sees the timeline newest first, in Beijing time, and the photos', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  api.on('GET /api/v1/wishes/7', completedWish())
  const page = await openPage('pages/wish/detail/detail', { id: '7', as: 'mine' })
  const t = text(page)
  expect(t).toContain('厨房水龙头漏水')
  expect(t).toContain('待确认')
  expect(t).toContain('换了阀芯，不漏了')
  expect(t.indexOf('党员完成服务')).toBeLessThan(t.indexOf('提交心愿'))
  expect(t).toContain('11月20日 23:30') // 15:30 UTC
  expect(page.data.wish.photoUrls).toEqual(['http://127.0.0.1:8000/uploads/before.jpg'])
  expect(page.data.wish.order.photoUrls).toEqual(['http://127.0.0.1:8000/uploads/after.jpg'])
  expect(t).not.toContain('求助居民') // it is their own wish
})

test('the requester confirms and rates a completed wish', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  api.on('GET /api/v1/wishes/7', completedWish())
  api.on('POST /api/v1/wishes/7/confirm', (req) =>
    completedWish({ status: 'closed', rating: req.data.rating, comment: req.data.comment })
  )
  const page = await openPage('pages/wish/detail/detail', { id: '7', as: 'mine' })
  expect(exists(page, '#confirm')).toBe(true)
  expect(exists(page, '#cancel')).toBe(false) // completed: no cancelling any more
  page.instance.onRating({ detail: { value: 4 } })
  page.instance.onComment({ detail: { value: ' 谢谢张师傅 ' } })
  await tap(page, '#confirm')
  expect(api.callsTo('POST /api/v1/wishes/7/confirm')[0].data).toEqual({ rating: 4, comment: '谢谢张师傅' })
  expect(text(page)).toContain('已完成')
  expect(text(page)).toContain('谢谢张师傅')
  expect(exists(page, '#confirm')).toBe(false)
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '感谢您的评价' }))
})

test('the requester cancels with a reason; dismissing the dialog does nothing', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  api.on('GET /api/v1/wishes/7', fixtures.wishDetail({ id: 7, status: 'pending_review' }))
  api.on('POST /api/v1/wishes/7/cancel', (req) =>
    fixtures.wishDetail({ id: 7, status: 'cancelled', cancel_reason: req.data.reason })
  )
  const page = await openPage('pages/wish/detail/detail', { id: '7', as: 'mine' })

  wx.showModal.mockImplementationOnce((o) => o.success({ confirm: false, cancel: true }))
  await tap(page, '#cancel')
  expect(api.callsTo('POST /api/v1/wishes/7/cancel')).toHaveLength(0)

  wx.showModal.mockImplementationOnce((o) => o.success({ confirm: true, content: '已经自己修好了' }))
  await tap(page, '#cancel')
  expect(api.callsTo('POST /api/v1/wishes/7/cancel')[0].data).toEqual({ reason: '已经自己修好了' })
  expect(text(page)).toContain('取消原因：已经自己修好了')
})

test('a dispatcher approves or rejects a pending wish', async () => {
  api.on('GET /api/v1/me', fixtures.dispatcherMe())
  api.on('GET /api/v1/wishes/7', fixtures.wishDetail({ id: 7, status: 'pending_review', requester: { name: '王*兰', phone: null, room: null, masked: true } }))
  api.on('POST /api/v1/wishes/7/review', (req) =>
    fixtures.wishDetail({ id: 7, status: req.data.decision === 'approve' ? 'open' : 'rejected', reject_reason: req.data.reason })
  )
  const page = await openPage('pages/wish/detail/detail', { id: '7' })
  expect(text(page)).toContain('王*兰')
  expect(text(page)).toContain('接单后可以看到居民的联系方式')
  expect(exists(page, '#cancel')).toBe(false)
  await tap(page, '#approve')
  expect(api.callsTo('POST /api/v1/wishes/7/review')[0].data).toEqual({ decision: 'approve', reason: null })
  expect(text(page)).toContain('待认领')
  expect(exists(page, '#dispatch')).toBe(true)
  await tap(page, '#dispatch')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/dispatch/candidates/candidates?id=7' })
})

test('a dispatcher rejects with a reason', async () => {
  api.on('GET /api/v1/me', fixtures.dispatcherMe())
  api.on('GET /api/v1/wishes/7', fixtures.wishDetail({ id: 7, status: 'pending_review' }))
  api.on('POST /api/v1/wishes/7/review', (req) => fixtures.wishDetail({ id: 7, status: 'rejected', reject_reason: req.data.reason }))
  const page = await openPage('pages/wish/detail/detail', { id: '7' })
  wx.showModal.mockImplementationOnce((o) => o.success({ confirm: true, content: '不属于服务范围' }))
  await tap(page, '#reject')
  expect(api.callsTo('POST /api/v1/wishes/7/review')[0].data).toEqual({ decision: 'reject', reason: '不属于服务范围' })
  expect(text(page)).toContain('未通过原因：不属于服务范围')
})

test('a member claims an open wish; when someone was faster the detail is shown and the wish read again', async () => {
  api.on('GET /api/v1/me', fixtures.memberMe())
  let status = 'open'
  api.on('GET /api/v1/wishes/7', () => fixtures.wishDetail({ id: 7, status }))
  api.on('POST /api/v1/wishes/7/claim', () => {
    status = 'accepted'
    return fail(409, 'already_taken', '这条心愿已被其他党员认领')
  })
  const page = await openPage('pages/wish/detail/detail', { id: '7' })
  await tap(page, '#claim')
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '这条心愿已被其他党员认领' }))
  expect(api.callsTo('GET /api/v1/wishes/7')).toHaveLength(2)
  // the server still says 已接单 for an accepted wish: the page shows the glossary's 服务中
  expect(text(page)).toContain('服务中')
  expect(text(page)).not.toContain('已接单')
  expect(exists(page, '#claim')).toBe(false)
})

test('the member an order was sent to accepts it', async () => {
  api.on('GET /api/v1/me', fixtures.memberMe())
  api.on('GET /api/v1/wishes/7', fixtures.wishDetail({ id: 7, status: 'dispatched', order: fixtures.order({ id: 11, member_id: 3 }) }))
  api.on('POST /api/v1/orders/11/accept', fixtures.wishDetail({ id: 7, status: 'accepted', order: fixtures.order({ id: 11, status: 'accepted', status_label: '服务中' }) }))
  const page = await openPage('pages/wish/detail/detail', { id: '7' })
  expect(text(page)).toContain('派单留言：您住得近')
  expect(exists(page, '#claim')).toBe(false)
  await tap(page, '#accept')
  expect(api.callsTo('POST /api/v1/orders/11/accept')).toHaveLength(1)
  expect(exists(page, '#complete')).toBe(true)
  await tap(page, '#complete')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/member/complete/complete?id=7' })
})

test('the member declines with a reason', async () => {
  api.on('GET /api/v1/me', fixtures.memberMe())
  api.on('GET /api/v1/wishes/7', fixtures.wishDetail({ id: 7, status: 'dispatched', order: fixtures.order({ id: 11 }) }))
  api.on('POST /api/v1/orders/11/decline', (req) =>
    fixtures.wishDetail({ id: 7, status: 'open', order: fixtures.order({ id: 11, status: 'declined', status_label: '已婉拒', decline_reason: req.data.reason }) })
  )
  const page = await openPage('pages/wish/detail/detail', { id: '7' })
  wx.showModal.mockImplementationOnce((o) => o.success({ confirm: true, content: '这周出差' }))
  await tap(page, '#decline')
  expect(api.callsTo('POST /api/v1/orders/11/decline')[0].data).toEqual({ reason: '这周出差' })
  expect(text(page)).toContain('婉拒原因：这周出差')
})

test('an order for someone else gives this member no accept button', async () => {
  api.on('GET /api/v1/me', fixtures.memberMe({ id: 99 }))
  api.on('GET /api/v1/wishes/7', fixtures.wishDetail({ id: 7, status: 'dispatched', order: fixtures.order({ member_id: 3 }) }))
  const page = await openPage('pages/wish/detail/detail', { id: '7' })
  expect(exists(page, '#accept')).toBe(false)
  expect(exists(page, '#claim')).toBe(false)
})

test('error state: an unknown wish, with a retry', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  api.on('GET /api/v1/wishes/404', fail(404, 'wish_not_found', '心愿 404 不存在'))
  const page = await openPage('pages/wish/detail/detail', { id: '404' })
  expect(text(page)).toContain('心愿 404 不存在')
  expect(wx.showToast).not.toHaveBeenCalled() // shown in the page, not twice
  api.on('GET /api/v1/wishes/404', fixtures.wishDetail({ id: 404, title: '找到了' }))
  await retry(page)
  await flush()
  expect(text(page)).toContain('找到了')
})

// ---- 联系党员 (contracts.md §3) and cancelling as a secondary action

const accepted = (contact, o = {}) =>
  fixtures.wishDetail(
    Object.assign(
      {
        id: 41,
        title: '厨房水龙头漏水，关不紧',
        status: 'accepted',
        status_label: '服务中',
        viewer_is_requester: true,
        actions: ['contact', 'cancel'],
        contact,
        order: fixtures.order({ id: 77, wish_id: 41, status: 'accepted', status_label: '服务中' }),
        events: [
          fixtures.event('created', '提交心愿', null, 'pending_review'),
          fixtures.event('accepted', '党员接单', 'dispatched', 'accepted', { actor_name: '张伟' }),
        ],
      },
      o
    )
  )

test('after acceptance the requester calls the member who shares the number', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  api.on('GET /api/v1/wishes/41', accepted({ member_name: '张伟', phone: '13900000001', can_call: true, callback_requested_at: null }))
  const page = await openPage('pages/wish/detail/detail', { id: '41', as: 'mine' })
  const t = text(page)
  expect(t).toContain('张伟 为您服务')
  expect(t).toContain('联系党员')
  // 联系党员 comes before the timeline, 取消心愿 after it
  expect(t.indexOf('联系党员')).toBeLessThan(t.indexOf('进展'))
  expect(t.indexOf('进展')).toBeLessThan(t.indexOf('取消心愿'))
  await tap(page, '#contact-member')
  expect(wx.makePhoneCall).toHaveBeenCalledWith({ phoneNumber: '13900000001' })
  expect(api.callsTo('POST /api/v1/wishes/41/callback')).toHaveLength(0)
})

test('a member who keeps the number private is asked to call back; asking again too soon is refused', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  api.on('GET /api/v1/wishes/41', accepted({ member_name: '张伟', phone: null, can_call: false, callback_requested_at: null }))
  api.on('POST /api/v1/wishes/41/callback', () =>
    accepted({ member_name: '张伟', phone: null, can_call: false, callback_requested_at: new Date(Date.now() - 60e3).toISOString() })
  )
  const page = await openPage('pages/wish/detail/detail', { id: '41', as: 'mine' })
  expect(text(page)).toContain('请党员回电')
  expect(text(page)).toContain('没有公开电话')
  await tap(page, '#contact-member')
  expect(wx.makePhoneCall).not.toHaveBeenCalled()
  expect(api.callsTo('POST /api/v1/wishes/41/callback')).toHaveLength(1)
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '已请张伟给您回电' }))
  expect(text(page)).toContain('已请张伟回电（1分钟前）')

  api.on('POST /api/v1/wishes/41/callback', fail(409, 'callback_recent', '您刚请党员回过电，请稍等再试'))
  await tap(page, '#contact-member')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '您刚请党员回过电，请稍等再试' }))
  expect(api.callsTo('GET /api/v1/wishes/41').length).toBeGreaterThan(1) // read again
})

test('an older server sends no contact: no 联系党员 button, and nothing breaks', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  api.on('GET /api/v1/wishes/41', accepted(undefined, { actions: ['cancel'], contact: undefined }))
  const page = await openPage('pages/wish/detail/detail', { id: '41', as: 'mine' })
  expect(exists(page, '#contact-member')).toBe(false)
  expect(exists(page, '#cancel')).toBe(true)
})

test('cancelling asks first, with the reason, and is not the main button', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  api.on('GET /api/v1/wishes/41', accepted({ member_name: '张伟', phone: null, can_call: false, callback_requested_at: null }))
  api.on('POST /api/v1/wishes/41/cancel', (req) => accepted(null, { status: 'cancelled', actions: [], cancel_reason: req.data.reason }))
  const page = await openPage('pages/wish/detail/detail', { id: '41', as: 'mine' })
  const cancel = find(page, '#cancel')
  expect(cancel.instance.data.theme).not.toBe('danger')
  expect(cancel.instance.data.variant).toBe('outline')
  wx.showModal.mockImplementationOnce((o) => o.success({ confirm: true, content: '水管师傅已经来修好了' }))
  await tap(page, '#cancel')
  expect(wx.showModal.mock.calls.pop()[0].title).toBe('确定取消这个心愿？')
  expect(api.callsTo('POST /api/v1/wishes/41/cancel')[0].data).toEqual({ reason: '水管师傅已经来修好了' })
  expect(text(page)).toContain('已取消')
})

test('the dispatcher and the member hear the voice note', async () => {
  api.on('GET /api/v1/me', fixtures.dispatcherMe())
  api.on('GET /api/v1/wishes/7', fixtures.wishDetail({ id: 7, status: 'pending_review', description: '', voice: { url: '/uploads/v7.mp3?exp=9&sig=ff', seconds: 12 } }))
  const page = await openPage('pages/wish/detail/detail', { id: '7' })
  expect(text(page)).toContain('听居民的语音 12″')
  await tap(page, '#voice', '#vp-play')
  const audio = wx.createInnerAudioContext.mock.results[0].value
  expect(audio.src).toBe('http://127.0.0.1:8000/uploads/v7.mp3?exp=9&sig=ff')
  expect(audio.play).toHaveBeenCalled()
})
