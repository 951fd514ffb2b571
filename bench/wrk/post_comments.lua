-- Posts readers' comments to /comments/<code>/ as fast as the server takes them.
--
--   wrk -t2 -c16 -d10s -s bench/wrk/post_comments.lua URL -- BODIES COOKIE
--
-- BODIES is a file of prepared form bodies, one a line, each with its own
-- arithmetic question (a captcha may be answered only once) and its own
-- text. Thread n of t sends lines n+1, n+1+t, ..., so no two threads send the
-- same one; a thread that runs out starts again, and those repeats are
-- refused by the server and counted as such. COOKIE is the csrftoken cookie
-- that goes with the forms' csrfmiddlewaretoken.
--
-- A comment that is accepted is answered with a redirect (302); anything else
-- (the form shown again with a reason, a refusal) is counted by its status
-- and printed at the end for bench/pages.py to read.

local threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   local stride = tonumber(args[3]) or 1
   bodies = {}
   local line_number = 0
   for line in io.lines(args[1]) do
      if line_number % stride == id then
         table.insert(bodies, line)
      end
      line_number = line_number + 1
   end
   headers = {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Cookie"] = "csrftoken=" .. args[2],
   }
   next_body = 0
   posted, shown_again, forbidden, limited, failed, other, restarted = 0, 0, 0, 0, 0, 0, 0
end

function request()
   next_body = next_body + 1
   if next_body > #bodies then
      next_body = 1
      restarted = restarted + 1
   end
   return wrk.format("POST", nil, headers, bodies[next_body])
end

function response(status, headers, body)
   if status == 302 then
      posted = posted + 1
   elseif status == 200 then
      shown_again = shown_again + 1
   elseif status == 403 then
      forbidden = forbidden + 1
   elseif status == 429 then
      limited = limited + 1
   elseif status >= 500 then
      failed = failed + 1
   else
      other = other + 1
   end
end

function done(summary, latency, requests)
   local totals = {}
   local names = { "posted", "shown_again", "forbidden", "limited", "failed", "other", "restarted" }
   for _, name in ipairs(names) do
      totals[name] = 0
   end
   for _, thread in ipairs(threads) do
      for _, name in ipairs(names) do
         totals[name] = totals[name] + (thread:get(name) or 0)
      end
   end
   for _, name in ipairs(names) do
      io.write(string.format("comments %s %d\n", name, totals[name]))
   end
end
