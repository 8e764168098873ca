// <privacy-sheet /> on every page that uses the phone number, photos, the microphone or the
// location: when WeChat asks for the privacy notice (services/privacy.js), it shows at the bottom
// of the page — what the app uses and why, the full 隐私保护指引, 同意 (WeChat's
// open-type="agreePrivacyAuthorization" button) and 不同意.
const privacy = require('../../services/privacy')

Component({
  options: { addGlobalClass: true },
  data: { visible: false, reason: '' },
  lifetimes: {
    attached() {
      this._off = privacy.subscribe((s) => this.setData({ visible: s.visible, reason: s.reason }))
    },
    detached() {
      if (this._off) this._off()
    },
  },
  methods: {
    onAgree() {
      privacy.agree('privacy-agree')
    },
    onDisagree() {
      privacy.disagree()
    },
    onContract() {
      privacy.openContract()
    },
  },
})
