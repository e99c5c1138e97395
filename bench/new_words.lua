-- For bench/http.sh: a search with words no request has asked before, so neither
-- the page cache nor the kept search results can answer it (each thread numbers its
-- own: "slipped disc -unseen1x1", "-unseen1x2", ...; the excluded word is on no page,
-- so every search finds what "slipped disc" finds).
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local count = 0

function request()
  count = count + 1
  return wrk.format(nil, "/search/?q=slipped+disc+-unseen" .. id .. "x" .. count)
end
