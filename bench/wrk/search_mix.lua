-- Asks for many different searches in turn, as readers do.
--
--   wrk -t2 -c16 -d10s -s bench/wrk/search_mix.lua URL -- PATHS
--
-- PATHS is a file of request paths (/search/?q=… percent-encoded), one a
-- line. Each of wrk's threads starts at its own place in the list and goes
-- on from there, so that the whole list is asked for, not its first lines.

local threads = 0

function setup(thread)
   thread:set("offset", threads * 1009)
   threads = threads + 1
end

function init(args)
   counter = offset or 0
   paths = {}
   for line in io.lines(args[1]) do
      table.insert(paths, line)
   end
end

function request()
   counter = counter + 1
   local path = paths[counter % #paths + 1]
   return wrk.format("GET", path)
end
