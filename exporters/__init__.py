"""Qt-free exporters: Excel score sheet, case list, bulletin text."""
