// 记录走访 (网格员, 楼栋长): outcome (见到居民 / 家中无人 / 拒绝走访 / 已搬离), people met, a note, and
// findings (困难需求 / 安全隐患 / 矛盾纠纷 / 意见建议) with text and photos (wx.chooseMedia); a need
// may name the resident it is for (FindingIn.resident_id, contracts.md §1). 保存走访 stays on
// screen (a bar fixed at the bottom). Saving records where the phone is (wx.getLocation, declared
// in app.json) when the worker allows it, and writes the visit into the offline queue
// (services/visits.js) with a client_id made on the phone; it is sent to POST /api/v1/visits/batch
// now or when the network returns, and the photos are uploaded (POST /api/v1/uploads) just before.
// The page then shows the visit's sync state live, under the queue's banner.
const api = require('../../../services/api')
const visits = require('../../../services/visits')
const privacy = require('../../../services/privacy')
const uiMode = require('../../../behaviors/ui-mode')
const { OUTCOMES, KINDS } = require('../../../utils/grid')
const { ACTIONS } = require('../../../utils/glossary')

const LOCATION_KEY = 'hh_visit_location' // 'off' when the worker turned it off
const LOCATION_TIMEOUT_MS = 5000

// The phone's position for the visit, or null (not allowed, no fix in time): never blocks saving.
function currentLocation() {
  return privacy.ensure('记录走访地点').then((ok) => {
    if (!ok || typeof wx.getLocation !== 'function') return null
    return new Promise((resolve) => {
      let done = false
      const finish = (value) => {
        if (done) return
        done = true
        resolve(value)
      }
      setTimeout(() => finish(null), LOCATION_TIMEOUT_MS)
      wx.getLocation({
        type: 'gcj02',
        isHighAccuracy: true,
        highAccuracyExpireTime: 3000,
        success: (res) =>
          finish({
            lat: res.latitude,
            lng: res.longitude,
            accuracy: typeof res.accuracy === 'number' ? Math.round(res.accuracy) : null,
          }),
        fail: () => finish(null),
      })
    })
  })
}

const HINTS = {}
KINDS.forEach((k) => (HINTS[k.value] = k.hint))

const MAX_PEOPLE = 10
const MAX_FINDINGS = 10
const MAX_PHOTOS = 9

// Keeps a photo past the app's restart where the phone allows it (temp files may be cleaned up).
function keepFile(path) {
  return new Promise((resolve) => {
    let fs = null
    try {
      fs = wx.getFileSystemManager && wx.getFileSystemManager()
    } catch (e) {
      fs = null
    }
    if (!fs || typeof fs.saveFile !== 'function') return resolve(path)
    fs.saveFile({
      tempFilePath: path,
      success: (res) => resolve(res.savedFilePath || path),
      fail: () => resolve(path),
    })
  })
}

Component({
  behaviors: [uiMode],
  data: {
    words: ACTIONS,
    householdId: null,
    label: '',
    outcomes: OUTCOMES,
    kinds: KINDS,
    outcome: 'met',
    residents: [], // names to tap, from the register when the network allows
    residentList: [], // {id, name} for a need's 为谁 (resident_id)
    useLocation: true,
    people: [],
    residentChips: [], // {name, on}
    peopleText: '',
    otherPerson: '',
    note: '',
    findings: [], // {key, kind, text, photos: [local paths]}
    saving: false,
    saved: null, // {client_id, stateLabel, theme, detail, follow}
  },
  lifetimes: {
    detached() {
      this.onUnload()
    },
  },
  methods: {
    onLoad(query = {}) {
      privacy.install()
      const householdId = Number(query.id)
      const label = query.label ? decodeURIComponent(query.label) : ''
      this.setData({ householdId, label, useLocation: wx.getStorageSync(LOCATION_KEY) !== 'off' })
      if (label) wx.setNavigationBarTitle({ title: '走访 ' + label })
      // who lives there, to tap instead of typing; offline the form works without it
      return api.getHousehold(householdId, { silent: true }).then(
        (h) => {
          const residents = h.residents || []
          this.setData({
            label: this.data.label || h.label,
            residents: residents.map((r) => r.name),
            residentList: residents.filter((r) => r.id).map((r) => ({ id: r.id, name: r.name })),
          })
          this.setPeople(this.data.people)
        },
        () => {}
      )
    },

    onLocationSwitch(e) {
      const on = !!e.detail.value
      wx.setStorageSync(LOCATION_KEY, on ? 'on' : 'off')
      this.setData({ useLocation: on })
    },

    onUnload() {
      if (this._off) this._off()
      this._off = null
    },

    onOutcome(e) {
      this.setData({ outcome: e.currentTarget.dataset.value })
    },

    setPeople(people) {
      this.setData({
        people,
        peopleText: people.join('、'),
        residentChips: this.data.residents.map((name) => ({ name, on: people.indexOf(name) >= 0 })),
      })
    },

    onPerson(e) {
      const name = e.currentTarget.dataset.name
      const people = this.data.people.slice()
      const i = people.indexOf(name)
      if (i >= 0) people.splice(i, 1)
      else if (people.length < MAX_PEOPLE) people.push(name)
      this.setPeople(people)
    },

    onOtherPerson(e) {
      this.setData({ otherPerson: e.detail.value })
    },

    onAddPerson() {
      const name = (this.data.otherPerson || '').trim().slice(0, 20)
      if (!name) return
      if (this.data.people.length >= MAX_PEOPLE) {
        wx.showToast({ title: '最多记录 ' + MAX_PEOPLE + ' 人', icon: 'none' })
        return
      }
      const people = this.data.people.indexOf(name) >= 0 ? this.data.people : this.data.people.concat([name])
      this.setData({ otherPerson: '' })
      this.setPeople(people)
    },

    onNote(e) {
      this.setData({ note: e.detail.value })
    },

    onAddFinding() {
      if (this.data.findings.length >= MAX_FINDINGS) return
      this._seq = (this._seq || 0) + 1
      this.setData({ findings: this.data.findings.concat([{ key: 'f' + this._seq, kind: 'need', hint: HINTS.need, text: '', photos: [], residentId: null }]) })
    },

    patchFinding(index, values) {
      const findings = this.data.findings.map((f, i) => (i === index ? Object.assign({}, f, values) : f))
      this.setData({ findings })
    },

    onKind(e) {
      const { index, value } = e.currentTarget.dataset
      this.patchFinding(index, { kind: value, hint: HINTS[value] })
    },

    // a need is for this resident of the register (tap again to clear)
    onFindingResident(e) {
      const { index, id } = e.currentTarget.dataset
      const f = this.data.findings[index]
      if (f) this.patchFinding(index, { residentId: f.residentId === id ? null : id })
    },

    onFindingText(e) {
      this.patchFinding(e.currentTarget.dataset.index, { text: e.detail.value })
    },

    onRemoveFinding(e) {
      const index = e.currentTarget.dataset.index
      this.setData({ findings: this.data.findings.filter((_, i) => i !== index) })
    },

    // Photos stay on the phone (the visit may be offline); the queue uploads them before sending.
    onAddPhoto(e) {
      const index = e.currentTarget.dataset.index
      const left = MAX_PHOTOS - this.data.findings[index].photos.length
      if (left <= 0) return Promise.resolve()
      return privacy.ensure('拍照或选择照片').then((ok) => (ok ? this.choosePhotos(index, left) : undefined))
    },

    choosePhotos(index, left) {
      return new Promise((resolve) => {
        wx.chooseMedia({
          count: left,
          mediaType: ['image'],
          sourceType: ['album', 'camera'],
          sizeType: ['compressed'],
          success: (res) => {
            const paths = (res.tempFiles || []).map((f) => f.tempFilePath).slice(0, left)
            Promise.all(paths.map(keepFile)).then((kept) => {
              const f = this.data.findings[index]
              if (f) this.patchFinding(index, { photos: f.photos.concat(kept) })
              resolve()
            })
          },
          fail: () => resolve(), // cancelled
        })
      })
    },

    onRemovePhoto(e) {
      const { index, photo } = e.currentTarget.dataset
      const f = this.data.findings[index]
      this.patchFinding(index, { photos: f.photos.filter((_, i) => i !== photo) })
    },

    onPreview(e) {
      const { index, photo } = e.currentTarget.dataset
      const urls = this.data.findings[index].photos
      wx.previewImage({ urls, current: urls[photo] })
    },

    validate() {
      const d = this.data
      if (!d.householdId) return '没有指定住户'
      if (!d.outcome) return '请选择走访结果'
      if (d.note.trim().length > 500) return '情况记录不能超过 500 字'
      for (let i = 0; i < d.findings.length; i++) {
        const text = d.findings[i].text.trim()
        if (!text) return '请填写第 ' + (i + 1) + ' 条发现的内容'
        if (text.length > 500) return '第 ' + (i + 1) + ' 条发现不能超过 500 字'
      }
      return ''
    },

    onSave() {
      if (this.data.saving || this.data.saved) return Promise.resolve()
      const problem = this.validate()
      if (problem) {
        wx.showToast({ title: problem, icon: 'none' })
        return Promise.resolve()
      }
      const d = this.data
      // the time of the visit is the moment of 保存走访, not when a GPS fix arrives
      const visitedAt = new Date().toISOString()
      this.setData({ saving: true })
      return (d.useLocation ? currentLocation() : Promise.resolve(null)).then((location) => {
        const payload = {
          household_id: d.householdId,
          visited_at: visitedAt,
          outcome: d.outcome,
          people_met: d.outcome === 'met' ? d.people.slice(0, MAX_PEOPLE) : [],
          note: d.note.trim(),
          findings: d.findings.map((f) => {
            const out = { kind: f.kind, text: f.text.trim(), photos: f.photos.slice() }
            if (f.kind === 'need' && f.residentId) out.resident_id = f.residentId
            return out
          }),
        }
        if (location) payload.location = location
        const queue = visits.get()
        const online = queue.isOnline()
        const item = queue.add(payload, { label: d.label })
        this._clientId = item.client_id
        this._located = !!location
        this._off = queue.subscribe(() => this.showSaved())
        this.setData({ saving: false })
        this.showSaved()
        wx.showToast({ title: online ? '已保存，正在同步' : '已保存在手机上，联网后自动同步', icon: 'none' })
      })
    },

    showSaved() {
      const it = visits
        .get()
        .list()
        .find((x) => x.client_id === this._clientId)
      if (!it) return this.setData({ saved: null })
      const follow = (it.follow_ups || []).length ? '已生成 ' + it.follow_ups.length + ' 项后续工作' : ''
      this.setData({
        saved: {
          client_id: it.client_id,
          state: it.state,
          stateLabel: visits.STATE_LABELS[it.state],
          theme: visits.STATE_THEMES[it.state],
          detail: it.detail,
          follow,
          located: this._located ? '已记录走访地点' : this.data.useLocation ? '没有取得位置，走访照常保存' : '',
        },
      })
    },

    onBack() {
      wx.navigateBack({ delta: 1 })
    },

    onQueue() {
      wx.redirectTo({ url: '/pages/grid/queue/queue' })
    },
  },
})
