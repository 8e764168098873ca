#!/usr/bin/env bash
# The core loop against a running server (make run), as a resident, the compound's dispatcher and a
# Party member would go through it: 群众点单 → 审核 → 小区派单 → 党员接单 → 完成 → 居民评价.
# Usage: make demo-loop   or   scripts/demo-loop.sh [API base, default http://127.0.0.1:8000/api/v1]
# Needs bash, curl and python3 (for reading JSON). Stops at the first unexpected answer.
set -euo pipefail

API="${1:-${API:-http://127.0.0.1:8000/api/v1}}"
TMP="$(mktemp)"
trap 'rm -f "$TMP"' EXIT

# call METHOD PATH TOKEN EXPECTED_STATUS [JSON BODY] — prints the body, fails on another status
call() {
  local method=$1 path=$2 token=$3 expected=$4 body=${5:-}
  local args=(-s -o "$TMP" -w '%{http_code}' -X "$method" "$API$path" -H 'content-type: application/json')
  [ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
  [ -n "$body" ] && args+=(-d "$body")
  local status
  status=$(curl "${args[@]}") || { echo "无法连接 $API（先运行 make run）" >&2; exit 1; }
  if [ "$status" != "$expected" ]; then
    echo "✗ $method $path 应答 $status（应为 $expected）：$(cat "$TMP")" >&2
    exit 1
  fi
  cat "$TMP"
}

# field EXPR — reads JSON on stdin, prints python's EXPR of it (j is the document)
field() {
  python3 -c "import sys, json; from datetime import datetime; from zoneinfo import ZoneInfo
j = json.load(sys.stdin)
local = lambda t: datetime.fromisoformat(t).astimezone(ZoneInfo('Asia/Shanghai')).strftime('%m-%d %H:%M')
print($1)"
}

step() { printf '\n== %s\n' "$1"; }

login() { call POST /auth/wechat "" 200 "{\"code\":\"$1\"}" | field 'j["access_token"]'; }

step "登录：居民、小区派单员、在职党员（演示登录码）"
RES=$(login demo-resident)
DIS=$(login demo-dispatcher)
MEM=$(login demo-member)
echo "已登录 demo-resident、demo-dispatcher、demo-member"

step "1. 群众点单：居民提交心愿（待审核）"
WISH=$(call POST /wishes "$RES" 201 \
  '{"title":"厨房水龙头漏水","description":"关不紧，一直滴水","category":"repair"}' | field 'j["id"]')
echo "心愿编号 WISH=$WISH"

step "2. 小区审核：通过"
call POST "/wishes/$WISH/review" "$DIS" 200 '{"decision":"approve"}' | field 'j["status_label"]'

step "3. 小区派单：候选党员（按理由排序），派给 demo-member"
call GET "/wishes/$WISH/candidates" "$DIS" 200 \
  | field '"\n".join(c["name"] + "（" + c["work_unit"] + "）：" + "；".join(c["reasons"]) for c in j["items"][:3])'
MID=$(call GET /me "$MEM" 200 | field 'j["id"]')
call POST "/wishes/$WISH/dispatch" "$DIS" 200 "{\"member_id\":$MID,\"note\":\"您住得近\"}" | field 'j["status_label"]'

step "4. 党员接单：党员看到派单并接单"
ORDER=$(call GET "/orders?mine=true&status=offered" "$MEM" 200 \
  | field "next(o['id'] for o in j['items'] if o['wish_id'] == $WISH)")
echo "订单编号 ORDER=$ORDER"
call POST "/orders/$ORDER/accept" "$MEM" 200 | field 'j["status_label"]'

step "5. 党员报告完成，居民确认并评价"
call POST "/wishes/$WISH/complete" "$MEM" 200 '{"note":"换了阀芯，不漏了","photos":[]}' | field 'j["status_label"]'
call POST "/wishes/$WISH/confirm" "$RES" 200 '{"rating":5,"comment":"谢谢！"}' | field 'j["status_label"]'

step "心愿全过程（北京时间）"
call GET "/wishes/$WISH" "$RES" 200 \
  | field '"\n".join(local(e["at"]) + "  " + e["label"] for e in j["events"]) + "\n最终状态：" + j["status_label"] + "，评分 " + str(j["rating"])'

printf '\n✓ 闭环走完：心愿 %s 已完成并评价\n' "$WISH"
