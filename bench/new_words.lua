-- For bench/http.sh: a search with words no request has asked before, so neither
-- the page cache nor the kept search results can answer it (each thread numbers its
-- own, under the second the run started, so that a later run asks new words too:
-- "slipped disc -unseen1764630000t1x1", "...t1x2", ...; the excluded word is on no
-- page, so every search finds what "slipped disc" finds).
local threads = 0
local started = os.time()

function setup(thread)
  threads = threads + 1
  thread:set("id", started .. "t" .. threads)
end

local count = 0

function request()
  count = count + 1
  return wrk.format(nil, "/search/?q=slipped+disc+-unseen" .. id .. "x" .. count)
end
