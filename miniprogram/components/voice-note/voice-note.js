// <voice-note max-seconds="60" bind:change="onVoice" /> — say what you need instead of typing it.
// Tap 开始录音, tap again to stop (easier for older hands than press-and-hold), at most 60 s (wx.getRecorderManager, mp3); listen to it, record again or delete it. The note is uploaded
// like a photo (POST /api/v1/uploads, contracts.md §2) as soon as it is recorded; "change" carries
// {voice: ref or url | '', seconds, uploading, failed}. The privacy notice comes first
// (services/privacy.js), then WeChat's microphone permission.
const api = require('../../services/api')
const privacy = require('../../services/privacy')

const MIN_MS = 1000

let recorder = null
function getRecorder() {
  if (!recorder && typeof wx.getRecorderManager === 'function') recorder = wx.getRecorderManager()
  return recorder
}

Component({
  options: { addGlobalClass: true },
  properties: {
    maxSeconds: { type: Number, value: 60 },
  },
  data: {
    state: 'idle', // idle | recording | uploading | done | failed
    seconds: 0, // while recording: elapsed; after: the note's length
    left: 60,
    playing: false,
    path: '',
    voice: '',
    message: '',
  },
  lifetimes: {
    attached() {
      const rm = getRecorder()
      if (!rm) return
      this._onStop = (res) => this.stopped(res)
      this._onError = (err) => this.failedToRecord(err)
      rm.onStop(this._onStop)
      rm.onError(this._onError)
    },
    detached() {
      clearInterval(this._timer)
      if (this._audio) this._audio.destroy()
      // the recorder is one per app; forget our handlers by ignoring later callbacks
      this._gone = true
    },
  },
  methods: {
    onStart() {
      if (this.data.state === 'recording') return Promise.resolve()
      return privacy.ensure('录一段语音').then((ok) => {
        if (!ok) {
          this.setData({ message: '需要您同意隐私保护指引才能录音' })
          return
        }
        return this.authorize().then((allowed) => {
          if (!allowed) {
            this.setData({ message: '请在设置中允许使用麦克风，再点开始录音' })
            return
          }
          const rm = getRecorder()
          if (!rm) {
            this.setData({ message: '当前微信版本不支持录音' })
            return
          }
          this._startedAt = Date.now()
          this.setData({ state: 'recording', seconds: 0, left: this.properties.maxSeconds, message: '' })
          this._timer = setInterval(() => this.tick(), 1000)
          rm.start({
            duration: this.properties.maxSeconds * 1000,
            format: 'mp3',
            sampleRate: 16000,
            numberOfChannels: 1,
            encodeBitRate: 48000,
          })
        })
      })
    },

    authorize() {
      if (typeof wx.authorize !== 'function') return Promise.resolve(true)
      return new Promise((resolve) => {
        wx.authorize({ scope: 'scope.record', success: () => resolve(true), fail: () => resolve(false) })
      })
    },

    tick() {
      const seconds = Math.min(this.properties.maxSeconds, Math.floor((Date.now() - this._startedAt) / 1000))
      this.setData({ seconds, left: this.properties.maxSeconds - seconds })
    },

    onStop() {
      if (this.data.state !== 'recording') return
      const rm = getRecorder()
      if (rm) rm.stop()
    },

    // the recorder stopped: by 停止, or by itself at the limit
    stopped(res) {
      if (this._gone || this.data.state !== 'recording') return Promise.resolve()
      clearInterval(this._timer)
      const ms = (res && res.duration) || Date.now() - this._startedAt
      if (!res || !res.tempFilePath || ms < MIN_MS) {
        this.setData({ state: 'idle', seconds: 0, message: '说话时间太短，请按开始录音再说一遍' })
        return Promise.resolve()
      }
      const seconds = Math.max(1, Math.min(this.properties.maxSeconds, Math.round(ms / 1000)))
      this.setData({ path: res.tempFilePath, seconds })
      return this.upload()
    },

    failedToRecord(err) {
      if (this._gone) return
      clearInterval(this._timer)
      this.setData({ state: 'idle', message: '录音没有成功' + (err && err.errMsg ? '（' + err.errMsg + '）' : '') + '，请再试一次' })
    },

    upload() {
      this.setData({ state: 'uploading', message: '' })
      this.emit()
      return api.uploadVoice(this.data.path, { silent: true }).then(
        (out) => {
          this.setData({ state: 'done', voice: out.ref || out.url })
          this.emit()
        },
        (err) => {
          this.setData({ state: 'failed', message: (err && err.detail) || '语音上传失败' })
          this.emit()
        }
      )
    },

    onRetry() {
      return this.upload()
    },

    onPlay() {
      if (!this.data.path || typeof wx.createInnerAudioContext !== 'function') return
      if (this.data.playing) {
        this._audio.stop()
        this.setData({ playing: false })
        return
      }
      if (!this._audio) {
        this._audio = wx.createInnerAudioContext()
        this._audio.onEnded(() => this.setData({ playing: false }))
        this._audio.onStop(() => this.setData({ playing: false }))
        this._audio.onError(() => this.setData({ playing: false }))
      }
      this._audio.src = this.data.path
      this._audio.play()
      this.setData({ playing: true })
    },

    onDelete() {
      if (this._audio) this._audio.stop()
      this.setData({ state: 'idle', path: '', voice: '', seconds: 0, playing: false, message: '' })
      this.emit()
    },

    emit() {
      const d = this.data
      this.triggerEvent('change', {
        voice: d.state === 'done' ? d.voice : '',
        seconds: d.state === 'idle' ? 0 : d.seconds,
        uploading: d.state === 'uploading',
        failed: d.state === 'failed',
      })
    },
  },
})
