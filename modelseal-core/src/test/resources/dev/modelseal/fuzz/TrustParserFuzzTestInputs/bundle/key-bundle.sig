{
  "mediaType" : "application/vnd.dev.sigstore.bundle.v0.3+json",
  "verificationMaterial" : {
    "publicKey" : {
      "hint" : "07abf803d68ad854590c6cfb25a79dce9c66f5c4fe1c36a4041f000f2902615e"
    },
    "tlogEntries" : [ ]
  },
  "dsseEnvelope" : {
    "payload" : "eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEiLCJzdWJqZWN0IjpbeyJuYW1lIjoibW9kZWwiLCJkaWdlc3QiOnsic2hhMjU2IjoiNDI2OTNlMjM3OTdmMmYxNTJlMTZjOTVmNmJlNjQ0YWM5MjU2NjAwYTJmZjk4OTI3MmRkNTNlYTdhMDU5NDhhNiJ9fV0sInByZWRpY2F0ZVR5cGUiOiJodHRwczovL21vZGVsX3NpZ25pbmcvc2lnbmF0dXJlL3YxLjAiLCJwcmVkaWNhdGUiOnsicmVzb3VyY2VzIjpbeyJuYW1lIjoiY29uZmlnLmpzb24iLCJhbGdvcml0aG0iOiJzaGEyNTYiLCJkaWdlc3QiOiIwOWQzNDNjMzdkZTBiYmExNDNiN2ZmNDVmODJjMGFiOTMwODUzMWRjYzc4YjU2YjhlYjQwYzU5MzhjNGJlNDE4In0seyJuYW1lIjoid2VpZ2h0cy5iaW4iLCJhbGdvcml0aG0iOiJzaGEyNTYiLCJkaWdlc3QiOiI2Njg0MGRkYTE1NGU4YTExM2MzMWRkMGFkMzJmN2YzYTM2NmE4MGU4MTM2OTc5ZDhmNWExMDFkM2QyOWQ2ZjcyIn1dLCJzZXJpYWxpemF0aW9uIjp7Im1ldGhvZCI6ImZpbGVzIiwiaGFzaF90eXBlIjoic2hhMjU2IiwiYWxsb3dfc3ltbGlua3MiOmZhbHNlLCJpZ25vcmVfcGF0aHMiOlsiLmdpdCIsIi5naXRhdHRyaWJ1dGVzIiwiLmdpdGh1YiIsIi5naXRpZ25vcmUiXX19fQ==",
    "payloadType" : "application/vnd.in-toto+json",
    "signatures" : [
      {
        "sig" : "MEUCIF1ggGrDNo/4V5JAGKE+v1lfG4zMCPCzYs/acsUqDTg4AiEAso6IetwTtnH7b5xME3SaURE3wMMnXHwtSVTELyQigM8=",
        "keyid" : ""
      }
    ]
  }
}
