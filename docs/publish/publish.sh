#!/bin/sh
# Build a Playbook site and publish it to your own web server (rsync over
# SSH) or to an object store bucket (any S3-compatible one: AWS S3, Aliyun
# OSS, Tencent COS, MinIO …). See docs/publishing.md of Playbook.
#
#   BASE_URL=https://kb.example.com/ DEST=deploy@web1:/var/www/kb/ ./publish.sh
#   BASE_URL=https://kb.example.com/ DEST=s3://kb-bucket/ ./publish.sh
#
# SITE is the site folder (default: this one). DEST receives exactly the
# built site: files it holds that the site does not are deleted, so give it
# a folder of its own. For S3-compatible stores other than AWS, set
# AWS_ENDPOINT_URL (aws CLI 2.13 or later).
#
# Run it daily from cron so the dates on the pages stay true, e.g.
#   30 5 * * * cd /srv/kb && git pull -q && BASE_URL=… DEST=… ./publish.sh
set -eu

: "${BASE_URL:?set BASE_URL to the address readers use, e.g. https://kb.example.com/}"
: "${DEST:?set DEST to user@host:/path/ (rsync) or s3://bucket/prefix/}"
SITE=${SITE:-.}

playbook version
playbook check -s "$SITE"
playbook build -s "$SITE" --base-url "$BASE_URL" -q

# .playbook-build marks the folder as Playbook's output for the next build;
# readers need not see it.
case "$DEST" in
s3://*)
	aws s3 sync "$SITE/public/" "$DEST" --delete --exclude .playbook-build
	;;
*)
	# Updated files land at the end, together, and old ones go after them,
	# so readers see the old site or the new one, not a mix for long.
	rsync -rlt --chmod=D755,F644 --delay-updates --delete-after --exclude=.playbook-build "$SITE/public/" "$DEST"
	;;
esac
echo "published $BASE_URL"
