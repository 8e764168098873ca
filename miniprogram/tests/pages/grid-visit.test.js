// 记录走访: the form writes into the offline queue with a client UUID, photos are uploaded before the
// batch is sent, and the page shows the visit's sync state.
const { setup, openPage, text, tap, flush } = require('../helpers/page')
const { fail, NETWORK_DOWN } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/households/58', fixtures.household({
    residents: [
      { id: 101, name: '孙福生', relation: '本人', phone: '15121607241', has_account: false },
      { id: 102, name: '孙小红', relation: '女儿', phone: null, has_account: false },
    ],
  }))
  api.on('POST /api/v1/visits/batch', (req) => fixtures.batchOut(req.data.visits))
})

async function openForm() {
  return openPage('pages/grid/visit/visit', { id: '58', label: encodeURIComponent('3号楼1单元502') })
}

test('online: a visit with people met, a note and a need finding with a photo is uploaded and synced', async () => {
  api.on('POST /api/v1/uploads', { url: '/uploads/p1.jpg', content_type: 'image/jpeg', size: 1000 })
  api.on('POST /api/v1/visits/batch', (req) => {
    const out = fixtures.batchOut(req.data.visits, 2481)
    out.results[0].follow_ups = [{ kind: 'need', type: 'wish', id: 61 }]
    return out
  })
  const page = await openForm()
  expect(text(page)).toContain('3号楼1单元502')
  expect(text(page)).toContain('孙小红')

  await tap(page, '#person-0')
  page.instance.onOtherPerson({ detail: { value: '社区医生' } })
  await tap(page, '#add-person')
  expect(text(page)).toContain('已选：孙福生、社区医生')
  page.instance.onNote({ detail: { value: ' 身体不错，冰箱有菜 ' } })
  await tap(page, '#add-finding')
  page.instance.onFindingText({ currentTarget: { dataset: { index: 0 } }, detail: { value: '想请人帮忙换灯泡' } })
  await tap(page, '#add-photo-0')
  await flush()
  expect(wx.chooseMedia).toHaveBeenCalledWith(expect.objectContaining({ count: 9, mediaType: ['image'] }))
  expect(page.data.findings[0].photos).toEqual(['wxfile://store/photo-1.jpg'])

  await tap(page, '#save')
  await flush(10)
  const sent = api.callsTo('POST /api/v1/visits/batch')
  expect(sent).toHaveLength(1)
  const v = sent[0].data.visits[0]
  expect(v).toMatchObject({
    household_id: 58,
    outcome: 'met',
    people_met: ['孙福生', '社区医生'],
    note: '身体不错，冰箱有菜',
    findings: [{ kind: 'need', text: '想请人帮忙换灯泡', photos: ['/uploads/p1.jpg'] }],
  })
  expect(v.client_id).toMatch(UUID)
  expect(new Date(v.visited_at).toISOString()).toBe(v.visited_at)
  expect(wx.uploadFile.mock.calls[0][0]).toMatchObject({ filePath: 'wxfile://store/photo-1.jpg', name: 'file' })
  expect(text(page)).toContain('走访已保存')
  expect(text(page)).toContain('已同步')
  expect(text(page)).toContain('已生成 1 项后续工作')

  await tap(page, '#back')
  expect(wx.navigateBack).toHaveBeenCalled()
})

test('offline: saved on the phone as 待同步, sent when the network returns', async () => {
  const page = await openForm()
  wx.__network.isConnected = false
  const queue = require('../../services/visits').get()
  await queue.start()
  await tap(page, '#outcome-not_home')
  await tap(page, '#save')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '已保存在手机上，联网后自动同步' }))
  expect(text(page)).toContain('待同步')
  expect(wx.getStorageSync('hh_visit_queue')[0]).toMatchObject({ payload: { household_id: 58, outcome: 'not_home', people_met: [] }, meta: { label: '3号楼1单元502' } })
  expect(api.callsTo('POST /api/v1/visits/batch')).toHaveLength(0)

  wx.__setNetwork(true)
  await flush(10)
  expect(api.callsTo('POST /api/v1/visits/batch')).toHaveLength(1)
  expect(text(page)).toContain('已同步')
  await tap(page, '#queue')
  expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/grid/queue/queue' })
})

test('checks the findings before saving; works without the register when offline', async () => {
  api.on('GET /api/v1/households/58', NETWORK_DOWN)
  const page = await openForm()
  expect(page.data.residents).toEqual([])
  await tap(page, '#add-finding')
  await tap(page, '#kind-0-hazard')
  expect(page.data.findings[0].kind).toBe('hazard')
  await tap(page, '#save')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '请填写第 1 条发现的内容' }))
  expect(wx.getStorageSync('hh_visit_queue')).toBe('')
  await tap(page, '#remove-finding-0')
  expect(page.data.findings).toEqual([])
})

test('error state: the server refuses the visit, the page says why', async () => {
  api.on('POST /api/v1/visits/batch', (req) => ({
    created: 0,
    duplicate: 0,
    error: 1,
    results: [{ client_id: req.data.visits[0].client_id, status: 'error', id: null, error: 'household_out_of_scope', detail: '该住户不在您负责的网格或楼栋内', follow_ups: [] }],
  }))
  const page = await openForm()
  await tap(page, '#save')
  await flush(10)
  expect(text(page)).toContain('同步失败')
  expect(text(page)).toContain('该住户不在您负责的网格或楼栋内')
})

test('a refused photo upload marks the visit failed with the reason', async () => {
  api.on('POST /api/v1/uploads', fail(413, 'file_too_large', '图片不能超过 5 MB'))
  const page = await openForm()
  await tap(page, '#add-finding')
  page.instance.onFindingText({ currentTarget: { dataset: { index: 0 } }, detail: { value: '门口台阶破损' } })
  await tap(page, '#add-photo-0')
  await flush()
  await tap(page, '#save')
  await flush(10)
  expect(text(page)).toContain('照片上传失败：图片不能超过 5 MB')
  expect(api.callsTo('POST /api/v1/visits/batch')).toHaveLength(0)
})

// ---- issue 15: location, the resident a need is for, 保存走访 always on screen, the banner

test('the visit records where the phone is (wx.getLocation) as LocationIn {lat, lng, accuracy}', async () => {
  const page = await openForm()
  expect(page.data.useLocation).toBe(true)
  await tap(page, '#save')
  await flush(10)
  expect(wx.getLocation).toHaveBeenCalledWith(expect.objectContaining({ type: 'gcj02' }))
  const v = api.callsTo('POST /api/v1/visits/batch')[0].data.visits[0]
  expect(v.location).toEqual({ lat: 37.4563, lng: 118.5821, accuracy: 12 })
  expect(text(page)).toContain('已记录走访地点')
})

test('location refused or off: the visit is saved without it, at the time of 保存走访', async () => {
  wx.getLocation.mockImplementation((opts) => setTimeout(() => opts.fail({ errMsg: 'getLocation:fail auth deny' }), 0))
  let page = await openForm()
  const before = Date.now()
  await tap(page, '#save')
  await flush(10)
  let v = api.callsTo('POST /api/v1/visits/batch')[0].data.visits[0]
  expect(v.location).toBeUndefined()
  expect(new Date(v.visited_at).getTime()).toBeGreaterThanOrEqual(before - 1000)
  expect(text(page)).toContain('没有取得位置，走访照常保存')

  // the worker turns it off: remembered, and no location asked
  wx.getLocation.mockClear()
  page = await openForm()
  page.instance.onLocationSwitch({ detail: { value: false } })
  expect(wx.getStorageSync('hh_visit_location')).toBe('off')
  await tap(page, '#save')
  await flush(10)
  expect(wx.getLocation).not.toHaveBeenCalled()
  page = await openForm()
  expect(page.data.useLocation).toBe(false)
})

test('a need names the resident it is for (FindingIn.resident_id), only when one is picked', async () => {
  const page = await openForm()
  await tap(page, '#add-finding')
  await tap(page, '#add-finding')
  page.instance.onFindingText({ currentTarget: { dataset: { index: 0 } }, detail: { value: '想请人陪去医院复查' } })
  page.instance.onFindingText({ currentTarget: { dataset: { index: 1 } }, detail: { value: '楼道灯不亮' } })
  await tap(page, '#for-0-102')
  expect(page.data.findings[0].residentId).toBe(102)
  await tap(page, '#kind-1-hazard')
  await tap(page, '#save')
  await flush(10)
  const f = api.callsTo('POST /api/v1/visits/batch')[0].data.visits[0].findings
  expect(f[0]).toEqual({ kind: 'need', text: '想请人陪去医院复查', photos: [], resident_id: 102 })
  expect(f[1]).toEqual({ kind: 'hazard', text: '楼道灯不亮', photos: [] })
})

test('保存走访 sits in a bar fixed to the bottom; the sync banner is on top; deleting a finding is a word, not a 26 px icon', async () => {
  const page = await openForm()
  const wxml = require('fs').readFileSync(require('path').join(__dirname, '../../pages/grid/visit/visit.wxml'), 'utf8')
  expect(wxml).toMatch(/<view class="bottom-bar">\s*<t-button id="save"/)
  expect(text(page).indexOf('走访记录已全部同步')).toBeLessThan(text(page).indexOf('走访结果'))
  await tap(page, '#add-finding')
  expect(text(page)).toContain('删除')
  await tap(page, '#remove-finding-0')
  expect(page.data.findings).toHaveLength(0)
})
