#!/usr/bin/env bash
# `make lint` (and the first step of `make test`): swift-format's lint of every Swift file against
# .swift-format, strict, so any finding fails the step. `swift format --in-place -r Sources Tests
# Plugins Package.swift` fixes all but the lint-only rules (e.g. UseSynthesizedInitializer).
#
# .swift-format follows the code as written: 4 spaces, 150 columns (lines without a string literal
# stop there), #if bodies and switch cases not indented, trailing commas in multi-line literals.
# Rules the code deliberately does otherwise are off: AlwaysUseLowerCamelCase (Codable fields
# named as smartctl's, PVE's and PMG's JSON), OneCasePerLine (CodingKeys on one line),
# OnlyOneTrailingClosureArgument (`TestServer.with(configure: { ... }) { server, client in }`),
# ReplaceForEachWithForLoop (one-line `forEach` in AlertConditions and tests) and
# NoAccessLevelOnExtensionDeclaration (`private extension`).
set -euo pipefail
cd "$(dirname "$0")/.."
exec ${SWIFT:-swift} format lint --strict --parallel --configuration .swift-format -r Sources Tests Plugins Package.swift
