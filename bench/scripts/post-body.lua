-- POSTs the file named by BODY_FILE to the path PATH_ (default /invocations) with CONTENT_TYPE (default
-- application/json; empty for none), and prints the shared report line.
local file = assert(io.open(os.getenv("BODY_FILE"), "rb"))
local body = file:read("*a")
file:close()
local path = os.getenv("PATH_") or "/invocations"
local content_type = os.getenv("CONTENT_TYPE") or "application/json"
dofile(os.getenv("REPORT_LUA"))

local headers = {}
if content_type ~= "" then
  headers["Content-Type"] = content_type
end

request = function()
  return wrk.format("POST", path, headers, body)
end
