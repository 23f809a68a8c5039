{
  "cniVersion": "1.0.0",
  "name": "lo",
  "type": "loopback"
}
