// <voice-player src="{{wish.voice.url}}" seconds="{{wish.voice.seconds}}" /> — plays a wish's voice
// note to the dispatcher and the member (WishDetail.voice, a signed URL: contracts.md §2–3).
const { mediaUrl } = require('../../utils/format')

Component({
  options: { addGlobalClass: true },
  properties: {
    src: { type: String, value: '' },
    seconds: { type: Number, value: 0 },
  },
  data: { playing: false },
  lifetimes: {
    detached() {
      if (this._audio) this._audio.destroy()
    },
  },
  methods: {
    onPlay() {
      if (!this.properties.src || typeof wx.createInnerAudioContext !== 'function') return
      if (!this._audio) {
        this._audio = wx.createInnerAudioContext()
        const stop = () => this.setData({ playing: false })
        this._audio.onEnded(stop)
        this._audio.onStop(stop)
        this._audio.onError(() => {
          stop()
          wx.showToast({ title: '语音播放失败，请稍后再试', icon: 'none' })
        })
      }
      if (this.data.playing) {
        this._audio.stop()
        this.setData({ playing: false })
        return
      }
      this._audio.src = mediaUrl(this.properties.src)
      this._audio.play()
      this.setData({ playing: true })
    },
  },
})
