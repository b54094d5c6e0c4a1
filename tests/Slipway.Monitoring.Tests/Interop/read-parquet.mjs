// Reads a Parquet file with hyparquet, a Parquet reader written independently of the one Slipway writes with, and
// prints its schema (physical and logical types) and rows as JSON. Usage: node read-parquet.mjs HYPARQUET_DIR FILE
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'

const hyparquet = await import(pathToFileURL(join(process.argv[2], 'src', 'node.js')).href)
const file = await hyparquet.asyncBufferFromFile(process.argv[3])
const metadata = await hyparquet.parquetMetadataAsync(file)
const rows = await hyparquet.parquetReadObjects({ file })
const columns = hyparquet.parquetSchema(metadata).children.map(c => ({
  name: c.element.name,
  type: c.element.type,
  repetition: c.element.repetition_type,
  logical: c.element.logical_type ?? null,
}))
const plain = (key, value) => typeof value === 'bigint' ? Number(value) : value instanceof Date ? value.toISOString() : value
console.log(JSON.stringify({ columns, rows }, plain))
