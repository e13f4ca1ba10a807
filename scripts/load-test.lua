-- wrk script: recommendations for a rotating set of cities (no two consecutive requests alike).
-- Usage: wrk -t2 -c8 -d30s --latency -s scripts/load-test.lua http://127.0.0.1:8080
local ids = {"3037543", "2951825", "3164419", "2867714", "3117735", "2988507", "3094802", "3173435", "2643743", "2761369",
             "3177700", "3196359", "2800866", "2759794", "3067696", "2618425", "3413829", "2673730", "658225", "593116"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/v1/cities/" .. ids[(i % #ids) + 1] .. "/recommendations?limit=10")
end
