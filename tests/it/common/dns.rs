//! A tiny DNS server for tests: UDP on 127.0.0.1 (a free port), answering TXT queries from
//! a map the test fills; any other name gets NXDOMAIN. Point the app at it with
//! `config.dns_server = Some(dns.addr())`. It lives as long as the test's runtime.
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use hickory_proto::op::{Message, MessageType, ResponseCode};
use hickory_proto::rr::rdata::TXT;
use hickory_proto::rr::{RData, Record, RecordType};
use tokio::net::UdpSocket;

type Records = Arc<Mutex<HashMap<String, Vec<String>>>>;

pub struct TestDns {
    addr: SocketAddr,
    records: Records,
    queries: Arc<Mutex<Vec<String>>>,
}

impl TestDns {
    pub async fn start() -> Self {
        let socket = UdpSocket::bind("127.0.0.1:0").await.expect("bind the test DNS server");
        let addr = socket.local_addr().expect("addr");
        let records = Records::default();
        let queries = Arc::new(Mutex::new(Vec::new()));
        tokio::spawn(serve(socket, records.clone(), queries.clone()));
        Self { addr, records, queries }
    }

    /// `ip:port` for `TRIBUTARY_DNS_SERVER`.
    pub fn addr(&self) -> String {
        self.addr.to_string()
    }

    /// Publishes (replaces) the TXT strings at `name`.
    pub fn set_txt(&self, name: &str, values: &[&str]) {
        let values = values.iter().map(|v| v.to_string()).collect();
        self.records.lock().unwrap().insert(key(name), values);
    }

    /// The names asked about so far (lowercase, no trailing dot).
    pub fn queries(&self) -> Vec<String> {
        self.queries.lock().unwrap().clone()
    }
}

fn key(name: &str) -> String {
    name.trim_end_matches('.').to_lowercase()
}

async fn serve(socket: UdpSocket, records: Records, queries: Arc<Mutex<Vec<String>>>) {
    let mut buf = vec![0u8; 4096];
    loop {
        let Ok((len, from)) = socket.recv_from(&mut buf).await else {
            continue;
        };
        let Ok(request) = Message::from_vec(&buf[..len]) else {
            continue;
        };
        let mut response = Message::response(request.metadata.id, request.metadata.op_code);
        response.metadata.message_type = MessageType::Response;
        response.metadata.recursion_desired = request.metadata.recursion_desired;
        response.metadata.recursion_available = true;
        response.metadata.authoritative = true;
        let mut found = false;
        for query in &request.queries {
            let name = key(&query.name().to_string());
            queries.lock().unwrap().push(name.clone());
            let values = records.lock().unwrap().get(&name).cloned();
            if let Some(values) = values {
                found = true;
                if query.query_type() == RecordType::TXT {
                    for value in values {
                        let rdata = RData::TXT(TXT::new(vec![value]));
                        response.add_answer(Record::from_rdata(query.name().clone(), 0, rdata));
                    }
                }
            }
            response.add_query(query.clone());
        }
        if !found {
            response.metadata.response_code = ResponseCode::NXDomain;
        }
        if let Ok(bytes) = response.to_vec() {
            let _ = socket.send_to(&bytes, from).await;
        }
    }
}
