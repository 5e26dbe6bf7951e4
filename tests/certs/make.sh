#!/bin/sh
# Regenerate the test CA and the 127.0.0.1/localhost server certificate
# (valid for 100 years, so the tests never expire). Run from this folder.
set -e
openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj "/CN=tinyloop test CA" \
    -keyout ca.key -out ca.pem \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr
printf "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n" > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 36500 -extfile server.ext -out server.pem
rm -f server.csr server.ext ca.srl ca.key
